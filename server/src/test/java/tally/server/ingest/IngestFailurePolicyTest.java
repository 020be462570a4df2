package tally.server.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tally.server.otlp.Otlp.attrs;
import static tally.server.otlp.Otlp.point;
import static tally.server.otlp.Otlp.request;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;
import tally.model.Labels;
import tally.server.otlp.Otlp;
import tally.server.remotewrite.WriteRequestBuilder;
import tally.server.testing.RecordingStorage;
import tally.server.testing.TestServer;

/**
 * One error policy for remote-write and OTLP (BatchIngest): a request Tally fails to store, in the middle of its
 * appends or at the commit, is rolled back (no batch left open, so the thread's pooled append buffers are free) and
 * answered 503 with Retry-After in the protocol's terms; its retry is stored whole, and what was stored before is
 * untouched. A body invalid as a whole is 400 with a message, and rolled back too.
 */
class IngestFailurePolicyTest {
    private static final String PB = "application/x-protobuf";

    private static HttpResponse<byte[]> remoteWrite(TestServer s, byte[] body) throws Exception {
        return s.post(s.webUrl("/api/v1/write"), PB, "snappy", body);
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body());
    }

    private static byte[] twoSeries(String a, String b) throws Exception {
        return new WriteRequestBuilder().series("__name__", a).sample(1000, 1).sample(2000, 2).sample(3000, 3).done()
                .series("__name__", b).sample(1000, 7).done().snappy();
    }

    @Test
    void remoteWriteStorageFailureMidRequestIs503RolledBackAndItsRetryIsStored() throws Exception {
        try (TestServer s = new TestServer(new RecordingStorage(), c -> { })) {
            RecordingStorage storage = s.recording();
            assertEquals(204, remoteWrite(s, twoSeries("before", "before2")).statusCode());

            storage.failAppends(2, new IllegalStateException("disk on fire"));
            HttpResponse<byte[]> r = remoteWrite(s, twoSeries("a", "b"));
            assertEquals(503, r.statusCode(), text(r));
            assertEquals("5", r.headers().firstValue("Retry-After").orElse(null));
            assertTrue(text(r).contains("disk on fire"), text(r));
            assertEquals(0, storage.openBatches(), "rolled back");
            assertTrue(storage.samples(Labels.of("__name__", "a")).isEmpty(), "nothing of the failed request is kept");
            assertEquals(Map.of(1000L, 1.0, 2000L, 2.0, 3000L, 3.0), storage.samples(Labels.of("__name__", "before")));

            storage.failAppends(0, null);
            assertEquals(204, remoteWrite(s, twoSeries("a", "b")).statusCode(), "the sender's retry");
            assertEquals(Map.of(1000L, 1.0, 2000L, 2.0, 3000L, 3.0), storage.samples(Labels.of("__name__", "a")));
            assertEquals(Map.of(1000L, 7.0), storage.samples(Labels.of("__name__", "b")));
            assertTrue(s.get(s.webUrl("/metrics")).body()
                    .contains("tally_ingest_rejected_samples_total{protocol=\"remote_write\",reason=\"storage_error\"} 2"));
        }
    }

    @Test
    void remoteWriteCommitFailureIs503AndRolledBack() throws Exception {
        try (TestServer s = new TestServer(new RecordingStorage(), c -> { })) {
            s.recording().failCommits(new IllegalStateException("WAL write failed"));
            HttpResponse<byte[]> r = remoteWrite(s, twoSeries("a", "b"));
            assertEquals(503, r.statusCode(), text(r));
            assertTrue(r.headers().firstValue("Retry-After").isPresent());
            assertEquals(0, s.recording().openBatches());
            s.recording().failCommits(null);
            assertEquals(204, remoteWrite(s, twoSeries("a", "b")).statusCode());
            assertEquals(4, s.recording().sampleCount());
        }
    }

    @Test
    void remoteWriteBodiesInvalidAsAWholeAre400AndRolledBack() throws Exception {
        try (TestServer s = new TestServer(new RecordingStorage(), c -> { })) {
            // a valid series, then a TimeSeries field that claims more bytes than there are: decoded part-way
            byte[] valid = Snappy.uncompress(new WriteRequestBuilder().series("__name__", "a").sample(1000, 1).done().snappy());
            ByteArrayOutputStream truncated = new ByteArrayOutputStream();
            truncated.write(valid);
            truncated.write(new byte[] {0x0a, 0x7f, 0x0a});
            HttpResponse<byte[]> r = remoteWrite(s, Snappy.compress(truncated.toByteArray()));
            assertEquals(400, r.statusCode(), text(r));
            assertTrue(text(r).contains("cannot decode WriteRequest protobuf"), text(r));
            assertEquals(0, s.recording().openBatches());
            assertEquals(0, s.recording().sampleCount(), "the series before the damage is not kept either");

            HttpResponse<byte[]> corrupt = remoteWrite(s, new byte[] {0x10, 0x7f, 0x7f, 0x7f});
            assertEquals(400, corrupt.statusCode(), text(corrupt));
            assertTrue(text(corrupt).startsWith("snappy"), text(corrupt));
        }
    }

    @Test
    void otlpStorageFailureMidRequestIs503RolledBackAndItsRetryIsStored() throws Exception {
        try (TestServer s = new TestServer(new RecordingStorage(), c -> { })) {
            RecordingStorage storage = s.recording();
            String url = s.otlpUrl("/v1/metrics");
            byte[] body = request(attrs("service.name", "svc"),
                    Otlp.deltaCounter("d", point(1000, 2000, 5), point(2000, 3000, 1))).toByteArray();
            storage.failAppends(1, new IllegalStateException("disk on fire"));
            HttpResponse<byte[]> r = s.post(url, PB, null, body);
            assertEquals(503, r.statusCode());
            assertEquals("5", r.headers().firstValue("Retry-After").orElse(null));
            assertEquals(0, storage.openBatches(), "rolled back");
            assertEquals(0, storage.sampleCount());

            storage.failAppends(0, null);
            assertEquals(200, s.post(url, PB, null, body).statusCode(), "the retry");
            // the failed attempt's points did not advance the running delta totals
            assertEquals(Map.of(2000L, 5.0, 3000L, 6.0), storage.samples(Labels.of("__name__", "d_total", "job", "svc")));
        }
    }

    @Test
    void otlpJsonFailsTheSameWay() throws Exception {
        try (TestServer s = new TestServer(new RecordingStorage(), c -> { })) {
            String json = "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":\"g\",\"gauge\":{\"dataPoints\":"
                    + "[{\"timeUnixNano\":\"1000000000\",\"asDouble\":1}]}}]}]}]}";
            s.recording().failAppends(0, new IllegalStateException("disk on fire"));
            HttpResponse<byte[]> r = s.post(s.otlpUrl("/v1/metrics"), "application/json", null, json.getBytes());
            assertEquals(503, r.statusCode());
            assertTrue(new String(r.body()).contains("disk on fire"), new String(r.body()));
            s.recording().failAppends(0, null);
            assertEquals(400, s.post(s.otlpUrl("/v1/metrics"), "application/json", null, "{not json".getBytes()).statusCode());
            assertEquals(200, s.post(s.otlpUrl("/v1/metrics"), "application/json", null, json.getBytes()).statusCode());
            assertEquals(0, s.recording().openBatches());
        }
    }
}
