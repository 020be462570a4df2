package tally.server.otlp;

import com.google.protobuf.CodedInputStream;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import org.junit.jupiter.api.Test;
import tally.model.Labels;
import tally.server.testing.RecordingStorage;
import tally.server.testing.TestServer;

import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tally.server.otlp.Otlp.attrs;
import static tally.server.otlp.Otlp.gauge;
import static tally.server.otlp.Otlp.gzip;
import static tally.server.otlp.Otlp.point;
import static tally.server.otlp.Otlp.request;

/** Every kind of bad OTLP request gets the right status and message, and the server keeps serving. */
class OtlpHttpBadInputTest {
    private static final String PB = "application/x-protobuf";
    private static final Labels KEPT = Labels.of("__name__", "kept", "job", "svc");

    /** google.rpc.Status message (field 2) from a protobuf body. */
    private static String statusMessage(byte[] body) throws Exception {
        CodedInputStream in = CodedInputStream.newInstance(body);
        String msg = "";
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == (2 << 3 | 2)) msg = in.readString(); else in.skipField(tag);
        }
        return msg;
    }

    @Test
    void badRequestsGetTheirStatusAndDataStaysIntact() throws Exception {
        try (TestServer s = new TestServer(c -> c.maxRequestBytes = 1 << 20)) {
            String url = s.otlpUrl("/v1/metrics");
            assertEquals(200, s.post(url, PB, null, gauge("kept", 1000, 7)).statusCode());

            byte[] valid = gauge("other", 2000, 1);
            HttpResponse<byte[]> r = s.post(url, PB, null, Arrays.copyOf(valid, valid.length - 5));
            assertEquals(400, r.statusCode(), "truncated protobuf");
            assertTrue(statusMessage(r.body()).startsWith("cannot decode OTLP protobuf body"), statusMessage(r.body()));

            byte[] garbage = new byte[2048];
            new Random(7).nextBytes(garbage);
            assertEquals(400, s.post(url, PB, null, garbage).statusCode(), "garbage protobuf");

            r = s.post(url, "application/json", null, "{\"resourceMetrics\": [".getBytes());
            assertEquals(400, r.statusCode(), "invalid JSON");
            assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
            assertTrue(new String(r.body()).contains("\"code\":3"), new String(r.body()));

            assertEquals(400, s.post(url, "application/json", null, new byte[0]).statusCode(), "empty JSON body");
            r = s.post(url, PB, null, new byte[0]);
            assertEquals(200, r.statusCode(), "empty protobuf = empty request");

            r = s.post(url, "text/plain", null, valid);
            assertEquals(415, r.statusCode());
            assertTrue(statusMessage(r.body()).contains("unsupported Content-Type"));
            assertEquals(415, s.post(url, null, null, valid).statusCode(), "no content type");
            assertEquals(415, s.post(url, PB, "br", valid).statusCode(), "unknown encoding");

            assertEquals(400, s.post(url, PB, "gzip", valid).statusCode(), "not actually gzip");
            r = s.post(url, PB, "gzip", gzip(new byte[8 << 20]));
            assertEquals(413, r.statusCode(), "gzip bomb: 8 MiB of zeros in ~8 KB");
            assertTrue(statusMessage(r.body()).contains("exceeds the limit"), statusMessage(r.body()));
            java.util.zip.Deflater d = new java.util.zip.Deflater();
            byte[] bomb = new byte[64 << 10];
            d.setInput(new byte[4 << 20]);
            d.finish();
            int n = d.deflate(bomb);
            assertEquals(413, s.post(url, PB, "deflate", Arrays.copyOf(bomb, n)).statusCode(), "deflate bomb");

            byte[] big = new byte[11 << 20];
            assertEquals(413, s.post(url, PB, null, big).statusCode(), "10 MB+ body over the 1 MiB limit");

            r = s.post(url, PB, null, gauge("special", 3000, Double.NaN));
            assertEquals(200, r.statusCode());
            assertEquals(200, s.post(url, PB, null, gauge("special", 4000, Double.POSITIVE_INFINITY)).statusCode());
            Map<Long, Double> special = s.samples(Labels.of("__name__", "special", "job", "svc"));
            assertTrue(Double.isNaN(special.get(3000L)));
            assertEquals(Double.POSITIVE_INFINITY, special.get(4000L));

            r = s.post(url, PB, null, gauge("lbl", 5000, 1, "", "emptykey", "...", "dots", "ok", ""));
            assertEquals(200, r.statusCode(), "invalid attribute keys are dropped, empty values mean absent");
            assertEquals(Map.of(5000L, 1.0), s.samples(Labels.of("__name__", "lbl", "job", "svc")));

            r = s.post(url, PB, null, gauge("huge", 6000, 1, "big", "x".repeat(100_000)));
            assertEquals(200, r.statusCode());
            ExportMetricsServiceResponse resp = ExportMetricsServiceResponse.parseFrom(r.body());
            assertEquals(1, resp.getPartialSuccess().getRejectedDataPoints(), "label value over the limit");
            assertTrue(resp.getPartialSuccess().getErrorMessage().contains("more than the limit"));

            String[] many = new String[2 * 200];
            for (int i = 0; i < 200; i++) {
                many[2 * i] = "k" + i;
                many[2 * i + 1] = "v";
            }
            resp = ExportMetricsServiceResponse.parseFrom(s.post(url, PB, null, gauge("many", 7000, 1, many)).body());
            assertEquals(1, resp.getPartialSuccess().getRejectedDataPoints(), "too many labels");

            assertEquals(Map.of(1000L, 7.0), s.samples(KEPT), "data accepted before is intact");
            assertEquals(200, s.post(url, PB, null, gauge("kept", 8000, 8)).statusCode(), "still serving");
            assertEquals(Map.of(1000L, 7.0, 8000L, 8.0), s.samples(KEPT));
        }
    }

    @Test
    void jsonWithHexExemplarIdsAndStringOrNumberInts() throws Exception {
        try (TestServer s = new TestServer()) {
            String json = "{\"resourceMetrics\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"svc\"}}]},"
                    + "\"scopeMetrics\":[{\"metrics\":[{\"name\":\"req\",\"unit\":\"1\",\"sum\":{\"aggregationTemporality\":\"AGGREGATION_TEMPORALITY_CUMULATIVE\","
                    + "\"isMonotonic\":true,\"dataPoints\":[{\"timeUnixNano\":1000000000,\"asInt\":\"42\",\"exemplars\":[{\"timeUnixNano\":\"1000000000\","
                    + "\"asDouble\":1,\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\"}]}]}}]}]}]}";
            HttpResponse<byte[]> r = s.post(s.webUrl("/api/v1/otlp/v1/metrics"), "application/json; charset=utf-8", null, json.getBytes());
            assertEquals(200, r.statusCode(), new String(r.body()));
            assertEquals(Map.of(1000L, 42.0), s.samples(Labels.of("__name__", "req_total", "job", "svc")));
            ExportMetricsServiceRequest parsed = OtlpJson.parse(json.getBytes());
            var ex = parsed.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getSum().getDataPoints(0).getExemplars(0);
            assertEquals("eee19b7ec3c1b174", java.util.HexFormat.of().formatHex(ex.getSpanId().toByteArray()));
        }
    }

    @Test
    void partialSuccessInJson() throws Exception {
        try (TestServer s = new TestServer()) {
            String json = "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":\"e\",\"exponentialHistogram\":"
                    + "{\"aggregationTemporality\":2,\"dataPoints\":[{\"timeUnixNano\":\"1000000000\",\"count\":\"1\"}]}}]}]}]}";
            HttpResponse<byte[]> r = s.post(s.otlpUrl("/v1/metrics"), "application/json", null, json.getBytes());
            assertEquals(200, r.statusCode());
            String body = new String(r.body());
            assertTrue(body.contains("\"rejectedDataPoints\":\"1\"") && body.contains("exponential histograms are not supported"), body);
        }
    }

    @Test
    void tracesAre404WithAStatusBody() throws Exception {
        try (TestServer s = new TestServer()) {
            HttpResponse<byte[]> r = s.post(s.otlpUrl("/v1/traces"), PB, null, new byte[] {1, 2, 3});
            assertEquals(404, r.statusCode());
            assertTrue(statusMessage(r.body()).contains("Tally stores only metrics"));
            assertEquals(404, s.post(s.webUrl("/api/v1/otlp/v1/traces"), "application/json", null, "{}".getBytes()).statusCode());
        }
    }

    /** /v1/logs is served now: an undecodable body is 400 like a metrics one, an empty export is accepted. */
    @Test
    void logsAreDecodedOrRefusedWith400() throws Exception {
        try (TestServer s = new TestServer()) {
            HttpResponse<byte[]> r = s.post(s.otlpUrl("/v1/logs"), PB, null, new byte[] {1, 2, 3});
            assertEquals(400, r.statusCode());
            assertTrue(statusMessage(r.body()).contains("cannot decode OTLP protobuf body"), statusMessage(r.body()));
            HttpResponse<byte[]> json = s.post(s.webUrl("/api/v1/otlp/v1/logs"), "application/json", null, "{}".getBytes());
            assertEquals(200, json.statusCode());
            assertEquals("{}", new String(json.body()));
            assertEquals(415, s.post(s.otlpUrl("/v1/logs"), "text/plain", null, "x".getBytes()).statusCode());
            assertEquals(400, s.post(s.otlpUrl("/v1/logs"), "application/json", null, "{not json".getBytes()).statusCode());
        }
    }

    @Test
    void storageFailureIs503WithRetryAfterAndDeltaStateIsNotAdvanced() throws Exception {
        // RecordingStorage: the test makes commits fail
        try (TestServer s = new TestServer(new RecordingStorage(), c -> {})) {
            String url = s.otlpUrl("/v1/metrics");
            byte[] first = request(attrs("service.name", "svc"), Otlp.deltaCounter("d", point(1000, 2000, 5))).toByteArray();
            byte[] second = request(attrs("service.name", "svc"), Otlp.deltaCounter("d", point(2000, 3000, 1))).toByteArray();
            assertEquals(200, s.post(url, PB, null, first).statusCode());
            s.recording().failCommits(new IllegalStateException("disk full"));
            HttpResponse<byte[]> r = s.post(url, PB, null, second);
            assertEquals(503, r.statusCode());
            assertTrue(r.headers().firstValue("Retry-After").isPresent());
            s.recording().failCommits(null);
            assertEquals(200, s.post(url, PB, null, second).statusCode(), "the retry is accepted, not refused as a duplicate");
            assertEquals(Map.of(2000L, 5.0, 3000L, 6.0), s.samples(Labels.of("__name__", "d_total", "job", "svc")));
        }
    }

    @Test
    void overloadGets429WithRetryAfter() throws Exception {
        // RecordingStorage: the test holds a commit in flight
        try (TestServer s = new TestServer(new RecordingStorage(), c -> c.maxIngestInFlight = 1)) {
            RecordingStorage.CommitHold hold = s.recording().holdCommits();
            Thread t = new Thread(() -> {
                try {
                    s.post(s.otlpUrl("/v1/metrics"), PB, null, gauge("slow", 1000, 1));
                } catch (Exception ignored) {
                    // the assertion below is what matters
                }
            });
            t.start();
            assertTrue(hold.awaitHeld());
            HttpResponse<byte[]> r = s.post(s.otlpUrl("/v1/metrics"), PB, null, gauge("fast", 1000, 1));
            hold.release();
            t.join();
            assertEquals(429, r.statusCode());
            assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
        }
    }
}
