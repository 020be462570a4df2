package tally.server.remotewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;
import tally.model.Labels;
import tally.model.MetricMetadata;
import tally.model.StaleNaN;
import tally.server.testing.TestServer;

/** Remote-write 2.0 on {@code /api/v1/write}: negotiation, the Written headers, partial writes, limits. */
class RemoteWriteV2Test {
    static final String V2 = "application/x-protobuf;proto=io.prometheus.write.v2.Request";

    static HttpResponse<byte[]> write(TestServer s, byte[] body) throws Exception {
        return s.post(s.webUrl("/api/v1/write"), V2, "snappy", body);
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body());
    }

    /** The three Written headers, as "samples/histograms/exemplars". */
    static String written(HttpResponse<?> r) {
        return r.headers().firstValue(RemoteWriteHandler.SAMPLES_WRITTEN).orElse("-") + "/"
                + r.headers().firstValue(RemoteWriteHandler.HISTOGRAMS_WRITTEN).orElse("-") + "/"
                + r.headers().firstValue(RemoteWriteHandler.EXEMPLARS_WRITTEN).orElse("-");
    }

    @Test
    void samplesAndPerSeriesMetadataAreStoredAndCounted() throws Exception {
        try (TestServer s = new TestServer()) {
            byte[] body = new RequestV2Builder()
                    .series("__name__", "http_requests_total", "code", "200", "job", "api").sample(1000, 1).sample(2000, 3)
                    .metadata(1, "Requests served.", "").done()
                    .series("__name__", "http_requests_total", "code", "500", "job", "api").sample(1000, 0).sample(2000, StaleNaN.VALUE)
                    .metadata(1, "Requests served.", "").done()
                    .series("__name__", "temperature", "room", "k\u00fcche").sample(1500, 21.5).metadata(2, "Room temperature.", "celsius").done()
                    .snappy();
            HttpResponse<byte[]> r = write(s, body);
            assertEquals(204, r.statusCode(), text(r));
            assertEquals("5/0/0", written(r));
            assertEquals(Map.of(1000L, 1.0, 2000L, 3.0), s.samples(Labels.of("__name__", "http_requests_total", "code", "200", "job", "api")));
            Map<Long, Double> stale = s.samples(Labels.of("__name__", "http_requests_total", "code", "500", "job", "api"));
            assertTrue(StaleNaN.is(stale.get(2000L)), "stale marker kept bit-exact");
            assertEquals(Map.of(1500L, 21.5), s.samples(Labels.of("__name__", "temperature", "room", "k\u00fcche")));
            assertEquals(List.of(new MetricMetadata("counter", "Requests served.", "")), s.metadata().get("http_requests_total"));
            assertEquals(List.of(new MetricMetadata("gauge", "Room temperature.", "celsius")), s.metadata().get("temperature"));
            String q = s.get(s.webUrl("/api/v1/query?query=sum(http_requests_total)&time=1.9")).body();
            assertTrue(q.contains("\"1\""), q);
            String metrics = s.get(s.webUrl("/metrics")).body();
            assertTrue(metrics.contains("tally_ingest_samples_total{protocol=\"remote_write\"} 5"), metrics);
        }
    }

    @Test
    void negotiationByContentType() throws Exception {
        try (TestServer s = new TestServer()) {
            byte[] v1 = new WriteRequestBuilder().series("__name__", "one").sample(1000, 1).done().snappy();
            byte[] v2 = new RequestV2Builder().series("__name__", "two").sample(1000, 2).done().snappy();
            // 1.0: no Content-Type, no proto parameter, or proto=prometheus.WriteRequest; no Written headers (as Prometheus 3.x)
            for (String type : new String[] {null, "application/x-protobuf", "application/x-protobuf;proto=prometheus.WriteRequest",
                    "application/x-protobuf; proto=\"prometheus.WriteRequest\""}) {
                HttpResponse<byte[]> r = s.post(s.webUrl("/api/v1/write"), type, "snappy", v1);
                assertEquals(204, r.statusCode(), type + ": " + text(r));
                assertEquals("-/-/-", written(r), type);
            }
            for (String type : new String[] {V2, "application/x-protobuf; proto=io.prometheus.write.v2.Request",
                    "application/x-protobuf;charset=utf-8;PROTO=\"io.prometheus.write.v2.Request\""}) {
                HttpResponse<byte[]> r = s.post(s.webUrl("/api/v1/write"), type, "snappy", v2);
                assertEquals(204, r.statusCode(), type + ": " + text(r));
                assertEquals("1/0/0", written(r), type);
            }
            assertEquals(Map.of(1000L, 1.0), s.samples(Labels.of("__name__", "one")));
            assertEquals(Map.of(1000L, 2.0), s.samples(Labels.of("__name__", "two")));
            for (String type : new String[] {"application/x-protobuf;proto=io.prometheus.write.v3.Request", "application/x-protobuf;proto=yolo",
                    "application/x-protobuf;proto="}) {
                HttpResponse<byte[]> r = s.post(s.webUrl("/api/v1/write"), type, "snappy", v2);
                assertEquals(415, r.statusCode(), type);
                assertTrue(text(r).contains("Tally accepts prometheus.WriteRequest (1.0) and io.prometheus.write.v2.Request (2.0)"), text(r));
            }
            HttpResponse<byte[]> r = s.post(s.webUrl("/api/v1/write"), V2, "zstd", v2);
            assertEquals(415, r.statusCode());
            assertTrue(text(r).contains("use snappy"), text(r));
        }
    }

    @Test
    void invalidSeriesAre400WithTheValidOnesWrittenAndCounted() throws Exception {
        try (TestServer s = new TestServer()) {
            String[][] bad = {
                    {"job", "a", "__name__", "unsorted"},
                    {"__name__", "dup", "a", "1", "a", "2"},
                    {"job", "noname"},
                    {"__name__", "emptyname", "", "v"},
            };
            String[] expect = {"not sorted", "duplicate label name \"a\"", "without a metric name", "empty label name"};
            for (int i = 0; i < bad.length; i++) {
                byte[] body = new RequestV2Builder().series(bad[i]).sample(1000, 1).sample(2000, 2).done()
                        .series("__name__", "good", "i", Integer.toString(i)).sample(1000, 1).done().snappy();
                HttpResponse<byte[]> r = write(s, body);
                assertEquals(400, r.statusCode(), String.join(",", bad[i]));
                assertTrue(text(r).contains(expect[i]), text(r));
                assertEquals("1/0/0", written(r));
                assertEquals(Map.of(1000L, 1.0), s.samples(Labels.of("__name__", "good", "i", Integer.toString(i))));
            }
            // refs that do not resolve
            RequestV2Builder b = new RequestV2Builder();
            int name = b.ref("__name__"), m = b.ref("m");
            b.seriesRefs(true, name, m, 77, m).sample(1000, 1).done();
            b.seriesRefs(true, name, m, name).sample(1000, 1).done();
            b.seriesRefs(true, name, b.ref("meta")).metadataRefs(1, 55, 0).sample(1000, 1).done();
            b.series("__name__", "good2").sample(1000, 5).done();
            b.series("__name__", "nothing").done();
            HttpResponse<byte[]> r = write(s, b.snappy());
            assertEquals(400, r.statusCode());
            assertEquals("1/0/0", written(r));
            String t = text(r);
            assertTrue(t.contains("label ref 77 (name) outside of the symbols table"), t);
            assertTrue(t.contains("(and 2 more)"), t);
            assertTrue(t.contains("holds no samples or histograms"), t);
            assertEquals(Map.of(1000L, 5.0), s.samples(Labels.of("__name__", "good2")));
            assertTrue(s.byName("m").isEmpty());
            assertTrue(s.byName("meta").isEmpty());
        }
    }

    @Test
    void histogramsAre400ExemplarsAreLeftOutQuietly() throws Exception {
        try (TestServer s = new TestServer()) {
            HttpResponse<byte[]> r = write(s, new RequestV2Builder().series("__name__", "e").sample(1000, 1).sample(2000, 2)
                    .exemplar("abc123", 1, 1000).done().snappy());
            assertEquals(204, r.statusCode(), text(r));
            assertEquals("2/0/0", written(r), "the sender sees from the header that its exemplar was not written");
            r = write(s, new RequestV2Builder().series("__name__", "h").sample(1000, 1).histogram(1000).histogram(2000).done()
                    .series("__name__", "nh").histogram(1000).done().snappy());
            assertEquals(400, r.statusCode());
            assertTrue(text(r).contains("native histograms are not supported: 3 histogram samples dropped"), text(r));
            assertEquals("1/0/0", written(r));
            assertEquals(Map.of(1000L, 1.0), s.samples(Labels.of("__name__", "h")));
        }
    }

    @Test
    void outOfOrderSamplesAreRefusedAndNotCountedAsWritten() throws Exception {
        try (TestServer s = new TestServer()) {
            assertEquals("1/0/0", written(write(s, new RequestV2Builder().series("__name__", "c").sample(5000, 5).done().snappy())));
            HttpResponse<byte[]> r = write(s, new RequestV2Builder().series("__name__", "c").sample(4000, 4).sample(6000, 6).done().snappy());
            assertEquals(400, r.statusCode());
            assertTrue(text(r).startsWith("out of order sample"), text(r));
            assertEquals("1/0/0", written(r));
            assertEquals(Map.of(5000L, 5.0, 6000L, 6.0), s.samples(Labels.of("__name__", "c")));
        }
    }

    @Test
    void badBodiesAndLimitsWriteNothing() throws Exception {
        try (TestServer s = new TestServer(c -> {
            c.maxRequestBytes = 1 << 20;
            c.maxSeriesPerRequest = 3;
            c.maxLabelsPerSeries = 4;
        })) {
            byte[] good = new RequestV2Builder().series("__name__", "g").sample(1, 1).done().bytes();
            HttpResponse<byte[]> r = write(s, "not snappy".getBytes());
            assertEquals(400, r.statusCode());
            assertEquals("0/0/0", written(r));
            r = write(s, Snappy.compress(java.util.Arrays.copyOf(good, good.length - 2)));
            assertEquals(400, r.statusCode());
            assertTrue(text(r).contains("cannot decode io.prometheus.write.v2.Request"), text(r));
            assertEquals("0/0/0", written(r));
            r = write(s, Snappy.compress(new byte[2 << 20]));
            assertEquals(413, r.statusCode());
            assertEquals("0/0/0", written(r));
            RequestV2Builder many = new RequestV2Builder();
            for (int i = 0; i < 4; i++) many.series("__name__", "many", "i", Integer.toString(i)).sample(1, 1).done();
            r = write(s, many.snappy());
            assertEquals(413, r.statusCode());
            assertTrue(text(r).contains("--ingest.max-series-per-request"), text(r));
            assertEquals("0/0/0", written(r));
            assertTrue(s.byName("many").isEmpty(), "rolled back whole");
            r = write(s, new RequestV2Builder().series("__name__", "wide", "a", "1", "b", "2", "c", "3", "d", "4").sample(1, 1).done()
                    .series("__name__", "narrow").sample(1, 1).done().snappy());
            assertEquals(400, r.statusCode());
            assertTrue(text(r).contains("more than the limit of 4"), text(r));
            assertEquals("1/0/0", written(r));
            assertEquals(204, write(s, Snappy.compress(good)).statusCode(), "still serving");
        }
    }
}
