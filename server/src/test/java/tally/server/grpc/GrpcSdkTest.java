package tally.server.grpc;

import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tally.model.Labels;
import tally.server.testing.SdkScenario;
import tally.server.testing.TestServer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenTelemetry Java SDK's own gRPC exporter (OkHttp, h2c prior knowledge) sends the same data as its OTLP/HTTP
 * exporter, and Tally stores the same series with the same values (times differ: each run reads the clock).
 */
class GrpcSdkTest {

    @ParameterizedTest(name = "{0}, compression {1}")
    @CsvSource({"delta, none", "delta, gzip", "cumulative, none", "cumulative, gzip"})
    void grpcExporterStoresWhatTheHttpExporterStores(String temporality, String compression) throws Exception {
        AggregationTemporalitySelector selector = temporality.equals("delta")
                ? AggregationTemporalitySelector.deltaPreferred() : AggregationTemporalitySelector.alwaysCumulative();
        Map<Labels, List<Double>> viaHttp;
        try (TestServer s = new TestServer()) {
            SdkScenario.run(OtlpHttpMetricExporter.builder().setEndpoint(s.otlpUrl("/v1/metrics"))
                    .setAggregationTemporalitySelector(selector).build());
            viaHttp = values(s);
        }
        try (TestServer s = new TestServer()) {
            SdkScenario.run(OtlpGrpcMetricExporter.builder().setEndpoint("http://127.0.0.1:" + s.grpcPort())
                    .setAggregationTemporalitySelector(selector).setCompression(compression).build());
            Map<Labels, List<Double>> viaGrpc = values(s);
            assertEquals(viaHttp, viaGrpc);
            Labels jobs = Labels.of("__name__", "jobs_done_total", "job", "sdk-test", "instance", "inst-1", "queue", "a");
            List<Double> expected = temporality.equals("delta") ? List.of(3.0, 5.0) : List.of(3.0, 5.0, 5.0);
            assertEquals(expected, viaGrpc.get(jobs), "the counter, cumulative in Tally either way");
            assertEquals("Jobs finished", s.metadata().get("jobs_done_total").get(0).help());
            String metrics = s.get(s.webUrl("/metrics")).body();
            assertTrue(metrics.contains("tally_grpc_requests_total{method=\"metrics\",code=\"0\"} 3"), metrics);
        }
    }

    /** Every series' values in time order (the times themselves depend on when the run happened). */
    private static Map<Labels, List<Double>> values(TestServer s) {
        Map<Labels, List<Double>> out = new TreeMap<>(Comparator.comparing(Labels::toString)); // a readable diff
        s.all().forEach((labels, samples) -> out.put(labels, new ArrayList<>(samples.values())));
        return out;
    }
}
