package tally.server.remotewrite;

import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;
import tally.model.Labels;
import tally.model.MetricMetadata;
import tally.server.testing.TestServer;

import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RemoteWriteTest {
    private static HttpResponse<byte[]> write(TestServer s, byte[] body) throws Exception {
        return s.post(s.webUrl("/api/v1/write"), "application/x-protobuf", "snappy", body);
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body());
    }

    @Test
    void samplesAndMetadataAreStored() throws Exception {
        try (TestServer s = new TestServer()) {
            byte[] body = new WriteRequestBuilder()
                    .series("__name__", "http_requests_total", "code", "200", "job", "api").sample(1000, 1).sample(2000, 3).done()
                    .series("__name__", "up", "job", "api").sample(1000, 1).done()
                    .metadata(1, "http_requests_total", "Requests served.", "")
                    .snappy();
            HttpResponse<byte[]> r = write(s, body);
            assertEquals(204, r.statusCode(), text(r));
            assertEquals(Map.of(1000L, 1.0, 2000L, 3.0),
                    s.samples(Labels.of("__name__", "http_requests_total", "code", "200", "job", "api")));
            assertEquals(Map.of(1000L, 1.0), s.samples(Labels.of("__name__", "up", "job", "api")));
            assertEquals(List.of(new MetricMetadata("counter", "Requests served.", "")), s.metadata().get("http_requests_total"));
            String metrics = s.get(s.webUrl("/metrics")).body();
            assertTrue(metrics.contains("tally_ingest_samples_total{protocol=\"remote_write\"} 3"), metrics);
        }
    }

    @Test
    void nanInfAndStaleMarkersKeepTheirBits() throws Exception {
        try (TestServer s = new TestServer()) {
            double stale = tally.model.StaleNaN.VALUE;
            byte[] body = new WriteRequestBuilder().series("__name__", "x").sample(1, Double.NaN).sample(2, Double.POSITIVE_INFINITY)
                    .sample(3, Double.NEGATIVE_INFINITY).sample(4, stale).done().snappy();
            assertEquals(204, write(s, body).statusCode());
            Map<Long, Double> got = s.samples(Labels.of("__name__", "x"));
            assertTrue(Double.isNaN(got.get(1L)) && !tally.model.StaleNaN.is(got.get(1L)));
            assertEquals(Double.POSITIVE_INFINITY, got.get(2L));
            assertEquals(Double.NEGATIVE_INFINITY, got.get(3L));
            assertTrue(tally.model.StaleNaN.is(got.get(4L)));
        }
    }

    @Test
    void invalidLabelSetsAre400ButValidSeriesAreKept() throws Exception {
        try (TestServer s = new TestServer()) {
            String[][] bad = {
                    {"job", "a", "__name__", "unsorted"},
                    {"__name__", "dup", "a", "1", "a", "2"},
                    {"__name__", "emptyname", "", "v"},
                    {"job", "noname"},
            };
            String[] expect = {"not sorted", "duplicate label name \"a\"", "empty label name", "without a metric name"};
            for (int i = 0; i < bad.length; i++) {
                byte[] body = new WriteRequestBuilder().series(bad[i]).sample(1000, 1).done()
                        .series("__name__", "good", "i", Integer.toString(i)).sample(1000, 1).done().snappy();
                HttpResponse<byte[]> r = write(s, body);
                assertEquals(400, r.statusCode(), Arrays.toString(bad[i]));
                assertTrue(text(r).contains(expect[i]), text(r));
                assertEquals(Map.of(1000L, 1.0), s.samples(Labels.of("__name__", "good", "i", Integer.toString(i))));
            }
        }
    }

    @Test
    void outOfOrderAndDuplicateSamplesUsePrometheusWordingAndKeepTheRest() throws Exception {
        try (TestServer s = new TestServer()) {
            assertEquals(204, write(s, new WriteRequestBuilder().series("__name__", "c").sample(5000, 5).done().snappy()).statusCode());
            byte[] body = new WriteRequestBuilder()
                    .series("__name__", "c").sample(4000, 4).done()
                    .series("__name__", "c2").sample(1000, 1).done().snappy();
            HttpResponse<byte[]> r = write(s, body);
            assertEquals(400, r.statusCode());
            assertTrue(text(r).startsWith("out of order sample"), text(r));
            assertEquals(Map.of(1000L, 1.0), s.samples(Labels.of("__name__", "c2")));
            r = write(s, new WriteRequestBuilder().series("__name__", "c").sample(5000, 6).done().snappy());
            assertEquals(400, r.statusCode());
            assertTrue(text(r).startsWith("duplicate sample for timestamp"), text(r));
            assertEquals(Map.of(5000L, 5.0), s.samples(Labels.of("__name__", "c")));
        }
    }

    @Test
    void exemplarsAndNativeHistogramsAreNamedInA400AfterFloatSamplesAreStored() throws Exception {
        try (TestServer s = new TestServer()) {
            byte[] body = new WriteRequestBuilder().series("__name__", "h").sample(1000, 1).exemplar().histogram().done().snappy();
            HttpResponse<byte[]> r = write(s, body);
            assertEquals(400, r.statusCode());
            assertTrue(text(r).contains("exemplars are not supported: 1"), text(r));
            assertTrue(text(r).contains("native histograms are not supported: 1"), text(r));
            assertEquals(Map.of(1000L, 1.0), s.samples(Labels.of("__name__", "h")));
        }
    }

    @Test
    void badBodies() throws Exception {
        try (TestServer s = new TestServer(c -> c.maxRequestBytes = 1 << 20)) {
            byte[] good = new WriteRequestBuilder().series("__name__", "g").sample(1, 1).done().bytes();
            assertEquals(400, write(s, new byte[0]).statusCode(), "empty body");
            HttpResponse<byte[]> r = write(s, "definitely not snappy".getBytes());
            assertEquals(400, r.statusCode());
            assertTrue(text(r).startsWith("snappy: corrupt input"), text(r));
            r = write(s, Snappy.compress(Arrays.copyOf(good, good.length - 3)));
            assertEquals(400, r.statusCode(), "truncated protobuf");
            assertTrue(text(r).contains("cannot decode WriteRequest"), text(r));
            byte[] garbage = new byte[4096];
            new java.util.Random(42).nextBytes(garbage);
            assertEquals(400, write(s, Snappy.compress(garbage)).statusCode(), "garbage protobuf");
            r = write(s, Snappy.compress(new byte[2 << 20])); // 2 MiB of zeros: a few KB compressed
            assertEquals(413, r.statusCode(), "snappy bomb");
            assertEquals(415, s.post(s.webUrl("/api/v1/write"), "application/x-protobuf", "gzip", good).statusCode());
            assertEquals(415, s.post(s.webUrl("/api/v1/write"), "application/x-protobuf;proto=io.prometheus.write.v3.Request",
                    "snappy", Snappy.compress(good)).statusCode());
            assertEquals(204, write(s, Snappy.compress(good)).statusCode(), "still serving");
        }
    }

    @Test
    void labelLimits() throws Exception {
        try (TestServer s = new TestServer(c -> {
            c.maxLabelsPerSeries = 4;
            c.maxLabelValueLength = 100;
        })) {
            String[] many = {"__name__", "m", "a", "1", "b", "2", "c", "3", "d", "4"};
            HttpResponse<byte[]> r = write(s, new WriteRequestBuilder().series(many).sample(1, 1).done()
                    .series("__name__", "big", "v", "x".repeat(101)).sample(1, 1).done()
                    .series("__name__", "ok").sample(1, 1).done().snappy());
            assertEquals(400, r.statusCode());
            assertTrue(text(r).contains("more than the limit of 4"), text(r));
            assertTrue(text(r).contains("(and 1 more)"), text(r));
            assertEquals(Map.of(1L, 1.0), s.samples(Labels.of("__name__", "ok")));
        }
    }
}
