package tally.server.otlp;

import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import org.junit.jupiter.api.Test;
import tally.model.Labels;
import tally.server.testing.SdkScenario;
import tally.server.testing.TestServer;

import java.util.Map;
import java.util.NavigableMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real OpenTelemetry Java SDK exporting over http/protobuf to a running Tally, in delta and cumulative temporality. */
class OpenTelemetrySdkTest {
    @Test
    void deltaTemporality() throws Exception {
        run(AggregationTemporalitySelector.deltaPreferred(), false);
    }

    @Test
    void cumulativeTemporality() throws Exception {
        run(AggregationTemporalitySelector.alwaysCumulative(), true);
    }

    private void run(AggregationTemporalitySelector temporality, boolean viaWebPort) throws Exception {
        try (TestServer s = new TestServer()) {
            String endpoint = viaWebPort ? s.webUrl("/api/v1/otlp/v1/metrics") : s.otlpUrl("/v1/metrics");
            OtlpHttpMetricExporter exporter = OtlpHttpMetricExporter.builder().setEndpoint(endpoint)
                    .setAggregationTemporalitySelector(temporality).setCompression("gzip").build();
            SdkScenario.run(exporter);
            String[] id = {"job", "sdk-test", "instance", "inst-1"};
            assertEquals(5.0, last(s, "jobs_done_total", "queue", "a"));
            assertEquals(3.0, s.samples(labels("jobs_done_total", id, "queue", "a")).firstEntry().getValue());
            assertEquals(3.0, last(s, "queue_length"));
            assertEquals(23.0, last(s, "room_temperature_celsius"));
            assertEquals(1.0, last(s, "op_duration_seconds_bucket", "le", "0.1"));
            assertEquals(2.0, last(s, "op_duration_seconds_bucket", "le", "1"));
            assertEquals(3.0, last(s, "op_duration_seconds_bucket", "le", "+Inf"));
            assertEquals(3.0, last(s, "op_duration_seconds_count"));
            assertEquals(5.55, last(s, "op_duration_seconds_sum"), 1e-9);
            assertEquals(Map.of(), nonMonotonic(s.byName("jobs_done_total")), "counter never goes down");
            assertEquals("counter", s.metadata().get("jobs_done_total").get(0).type());
            assertEquals("Jobs finished", s.metadata().get("jobs_done_total").get(0).help());
            assertTrue(s.samples(labels("target_info", id, "host_name", "box")).size() >= 1, s.byName("target_info").toString());
        }
    }

    private static Labels labels(String name, String[] id, String... extra) {
        String[] kv = new String[2 + id.length + extra.length];
        kv[0] = "__name__";
        kv[1] = name;
        System.arraycopy(id, 0, kv, 2, id.length);
        System.arraycopy(extra, 0, kv, 2 + id.length, extra.length);
        return Labels.of(kv);
    }

    private static double last(TestServer s, String name, String... extra) {
        NavigableMap<Long, Double> samples = s.samples(labels(name, new String[] {"job", "sdk-test", "instance", "inst-1"}, extra));
        assertTrue(!samples.isEmpty(), name + " " + String.join(",", extra) + " in " + s.byName(name).keySet());
        return samples.lastEntry().getValue();
    }

    private static Map<Labels, Double> nonMonotonic(Map<Labels, NavigableMap<Long, Double>> series) {
        Map<Labels, Double> out = new java.util.HashMap<>();
        series.forEach((l, s) -> {
            double prev = Double.NEGATIVE_INFINITY;
            for (double v : s.values()) {
                if (v < prev) out.put(l, v);
                prev = v;
            }
        });
        return out;
    }
}
