package tally.server.ingest;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import org.junit.jupiter.api.Test;
import tally.server.otlp.Otlp;
import tally.storage.StorageOptions;
import tally.storage.TallyStorage;
import tally.server.testing.RemoteWriteEncoder;
import tally.server.testing.TestServer;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --storage.max-head-series seen by senders: OTLP gets partial success naming the limit, remote-write a 400 with the
 * message (not retried: a resend would be refused again); samples of series the head holds are stored either way.
 */
class HeadSeriesLimitServerTest {
    private static final long T = 1_800_000_000_000L;

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    @Test
    void newSeriesPastTheLimitAreRefusedOthersStored() throws Exception {
        // the limit as --storage.max-head-series sets it (StorageWiring): two rooms
        try (TestServer s = new TestServer(TallyStorage.open(StorageOptions.defaults(dir).withMaxHeadSeries(2)), c -> c.maxHeadSeries = 2)) {
            Metric g = Metric.newBuilder().setName("room_temperature").setGauge(Gauge.newBuilder()
                    .addDataPoints(Otlp.point(0, T, 20, "room", "a"))
                    .addDataPoints(Otlp.point(0, T, 21, "room", "b"))
                    .addDataPoints(Otlp.point(0, T, 22, "room", "c"))).build();
            HttpResponse<byte[]> r = s.post(s.otlpUrl("/v1/metrics"), "application/x-protobuf", null,
                    Otlp.request(Otlp.attrs("service.name", "svc"), g).toByteArray());
            assertEquals(200, r.statusCode());
            ExportMetricsServiceResponse resp = ExportMetricsServiceResponse.parseFrom(r.body());
            assertEquals(1, resp.getPartialSuccess().getRejectedDataPoints());
            assertTrue(resp.getPartialSuccess().getErrorMessage().contains("--storage.max-head-series=2"), resp.toString());
            assertEquals(2, s.byName("room_temperature").size());

            // remote-write: an existing series and a new one in one request
            Map<Map<String, String>, java.util.NavigableMap<Long, Double>> series = Map.of(
                    Map.of("__name__", "room_temperature", "job", "svc", "room", "a"), new TreeMap<>(Map.of(T + 60_000, 23.0)),
                    Map.of("__name__", "room_temperature", "job", "svc", "room", "z"), new TreeMap<>(Map.of(T + 60_000, 5.0)));
            HttpResponse<byte[]> rw = s.post(s.webUrl("/api/v1/write"), "application/x-protobuf", "snappy", RemoteWriteEncoder.encode(series));
            assertEquals(400, rw.statusCode());
            assertTrue(new String(rw.body(), StandardCharsets.UTF_8).contains("max-head-series"), new String(rw.body(), StandardCharsets.UTF_8));
            assertEquals(2, s.byName("room_temperature").size(), "room z was refused");
            boolean aGotIt = s.byName("room_temperature").values().stream().anyMatch(m -> m.containsKey(T + 60_000));
            assertTrue(aGotIt, "room a, already in the head, took its sample");
        }
    }
}
