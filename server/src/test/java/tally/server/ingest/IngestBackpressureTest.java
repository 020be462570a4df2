package tally.server.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tally.model.Labels;
import tally.model.Overload;
import com.google.protobuf.CodedInputStream;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import tally.server.remotewrite.WriteRequestBuilder;
import tally.server.testing.RecordingStorage;
import tally.server.testing.TestServer;

/**
 * While the storage is catching up (its overload() names a reason), both ingest protocols answer "retry later" in
 * their own format before decoding anything: remote-write 503 (Prometheus retries 5xx but drops a 429 batch by
 * default), OTLP/HTTP 503 with a google.rpc.Status UNAVAILABLE; both with Retry-After. Nothing is appended, other
 * endpoints keep answering, and the refusals are counted. Once the storage recovers, the same requests succeed.
 */
class IngestBackpressureTest {
    @Test
    void overloadedStorageGets503WithRetryAfterInEachProtocolsFormat() throws Exception {
        RecordingStorage storage = new RecordingStorage();
        try (TestServer s = new TestServer(storage, c -> { })) {
            storage.overload(new Overload("the head holds 300000 series, its budget", 7));
            byte[] rw = new WriteRequestBuilder().series("__name__", "up", "job", "a").sample(1000, 1).done().snappy();
            HttpResponse<byte[]> r = s.post(s.webUrl("/api/v1/write"), "application/x-protobuf", "snappy", rw);
            assertEquals(503, r.statusCode());
            assertEquals("7", r.headers().firstValue("Retry-After").orElse(""));
            assertTrue(new String(r.body()).contains("the head holds 300000 series"), new String(r.body()));

            byte[] otlp = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                    .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("otlp_gauge")
                            .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder()
                                    .setTimeUnixNano(1_000_000_000L).setAsDouble(2))))))
                    .build().toByteArray();
            HttpResponse<byte[]> o = s.post(s.otlpUrl("/v1/metrics"), "application/x-protobuf", null, otlp);
            assertEquals(503, o.statusCode());
            assertEquals("7", o.headers().firstValue("Retry-After").orElse(""));
            int[] code = {0};
            String message = status(o.body(), code);
            assertEquals(14, code[0], "google.rpc.Status code UNAVAILABLE");
            assertTrue(message.contains("retry later") && message.contains("the head holds"), message);

            assertEquals(0, storage.sampleCount(), "nothing appended while overloaded");
            assertEquals(200, s.get(s.webUrl("/-/ready")).statusCode());
            String metrics = s.get(s.webUrl("/metrics")).body();
            assertTrue(metrics.contains("tally_ingest_requests_throttled_total{protocol=\"remote_write\",reason=\"storage\"} 1"), metrics);
            assertTrue(metrics.contains("tally_ingest_requests_throttled_total{protocol=\"otlp\",reason=\"storage\"} 1"), metrics);

            storage.overload(null);
            assertEquals(204, s.post(s.webUrl("/api/v1/write"), "application/x-protobuf", "snappy", rw).statusCode());
            assertEquals(200, s.post(s.otlpUrl("/v1/metrics"), "application/x-protobuf", null, otlp).statusCode());
            assertEquals(Double.valueOf(1), storage.samples(Labels.of("__name__", "up", "job", "a")).get(1000L));
        }
    }

    /** google.rpc.Status {code = 1, message = 2} read by hand; the code goes into code[0]. */
    private static String status(byte[] body, int[] code) throws Exception {
        CodedInputStream in = CodedInputStream.newInstance(body);
        String msg = "";
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == (1 << 3)) code[0] = in.readInt32();
            else if (tag == (2 << 3 | 2)) msg = in.readString();
            else in.skipField(tag);
        }
        return msg;
    }
}
