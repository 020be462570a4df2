package tally.server.ingest;

import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import org.junit.jupiter.api.Test;
import tally.server.otlp.Otlp;
import tally.server.testing.RemoteWriteEncoder;
import tally.server.testing.TestServer;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --ingest.max-series-per-request and --ingest.max-samples-per-request: 413 naming the flag, nothing of the request kept. */
class RequestLimitsTest {
    private static final long T = 1_800_000_000_000L;

    private static Map<Map<String, String>, NavigableMap<Long, Double>> series(int n, int samplesEach) {
        Map<Map<String, String>, NavigableMap<Long, Double>> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            NavigableMap<Long, Double> samples = new TreeMap<>();
            for (int j = 0; j < samplesEach; j++) samples.put(T + j * 1000L, (double) j);
            out.put(Map.of("__name__", "m", "job", "j", "i", Integer.toString(i)), samples);
        }
        return out;
    }

    @Test
    void oversizedRequestsAre413AndStoreNothing() throws Exception {
        try (TestServer s = new TestServer(c -> {
            c.maxSeriesPerRequest = 3;
            c.maxSamplesPerRequest = 6;
        })) {
            String write = s.webUrl("/api/v1/write");
            HttpResponse<byte[]> tooManySeries = s.post(write, "application/x-protobuf", "snappy", RemoteWriteEncoder.encode(series(4, 1)));
            assertEquals(413, tooManySeries.statusCode());
            assertTrue(new String(tooManySeries.body(), StandardCharsets.UTF_8).contains("--ingest.max-series-per-request"));
            HttpResponse<byte[]> tooManySamples = s.post(write, "application/x-protobuf", "snappy", RemoteWriteEncoder.encode(series(2, 4)));
            assertEquals(413, tooManySamples.statusCode());
            assertTrue(new String(tooManySamples.body(), StandardCharsets.UTF_8).contains("--ingest.max-samples-per-request"));
            assertTrue(s.byName("m").isEmpty(), "nothing of a refused request is kept");

            assertEquals(204, s.post(write, "application/x-protobuf", "snappy", RemoteWriteEncoder.encode(series(3, 2))).statusCode());
            assertEquals(3, s.byName("m").size());

            Gauge.Builder g = Gauge.newBuilder();
            for (int i = 0; i < 7; i++) g.addDataPoints(Otlp.point(0, T, i, "i", Integer.toString(i)));
            HttpResponse<byte[]> otlp = s.post(s.otlpUrl("/v1/metrics"), "application/x-protobuf", null,
                    Otlp.request(Otlp.attrs("service.name", "svc"), Metric.newBuilder().setName("g").setGauge(g).build()).toByteArray());
            assertEquals(413, otlp.statusCode());
            assertTrue(s.byName("g").isEmpty());
        }
    }
}
