package tally.server.otlp;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import org.junit.jupiter.api.Test;
import tally.model.Labels;
import tally.model.StaleNaN;
import tally.server.ingest.IngestBatch;
import tally.server.ingest.LabelLimits;
import tally.server.ingest.MetadataRecorder;
import tally.server.otlp.delta.DeltaAccumulator;
import tally.server.otlp.delta.StorageHistory;
import tally.server.testing.RecordingStorage;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tally.server.otlp.Otlp.MS;
import static tally.server.otlp.Otlp.attrs;
import static tally.server.otlp.Otlp.point;
import static tally.server.otlp.Otlp.request;

class OtlpTranslatorTest {
    private final RecordingStorage storage = new RecordingStorage();
    private long now = 1_000_000;
    private DeltaAccumulator delta = new DeltaAccumulator(new StorageHistory(storage), 1000, 3_600_000, 86_400_000, () -> now, false);
    private TranslationSettings settings = TranslationSettings.DEFAULTS;

    private OtlpBatch send(ExportMetricsServiceRequest req) {
        OtlpTranslator t = new OtlpTranslator(settings, delta, new MetadataRecorder(storage));
        OtlpBatch b = new OtlpBatch(new IngestBatch(storage.appender(), LabelLimits.NONE));
        t.translate(req, b);
        b.ingest.commit();
        return b;
    }

    private static final List<io.opentelemetry.proto.common.v1.KeyValue> RES = attrs("service.name", "svc", "service.namespace", "ns",
            "service.instance.id", "i-1", "host.name", "h1");

    private static Labels l(String... kv) {
        return Labels.of(kv);
    }

    @Test
    void gaugeLabelsJobInstanceCollisionsAndTargetInfo() {
        Metric g = Metric.newBuilder().setName("cpu.utilization").setUnit("1")
                .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(5000 * MS).setAsInt(3)
                        .addAllAttributes(attrs("a_b", "second", "a.b", "first", "0x", "digit")))).build();
        OtlpBatch b = send(request(RES, g));
        assertEquals(0, b.rejectedPoints());
        Labels series = l("__name__", "cpu_utilization_ratio", "a_b", "first;second", "key_0x", "digit", "job", "ns/svc", "instance", "i-1");
        assertEquals(Map.of(5000L, 3.0), storage.samples(series));
        Labels info = l("__name__", "target_info", "job", "ns/svc", "instance", "i-1", "host_name", "h1");
        assertEquals(Map.of(5000L, 1.0), storage.samples(info));
        assertEquals("gauge", storage.metadata().get("cpu_utilization_ratio").get(0).type());
    }

    @Test
    void promotedResourceAttributesAndKeepIdentifying() {
        settings = new TranslationSettings(Set.of("host.name"), false, Set.of(), true, true);
        Metric g = Metric.newBuilder().setName("temp").setUnit("Cel")
                .setGauge(Gauge.newBuilder().addDataPoints(point(0, 7000, 21.5))).build();
        send(request(RES, g));
        Labels series = l("__name__", "temp_celsius", "host_name", "h1", "job", "ns/svc", "instance", "i-1",
                "otel_scope_name", "test.scope", "otel_scope_version", "1.0");
        assertEquals(Map.of(7000L, 21.5), storage.samples(series));
        Labels info = l("__name__", "target_info", "job", "ns/svc", "instance", "i-1", "host_name", "h1",
                "service_name", "svc", "service_namespace", "ns", "service_instance_id", "i-1");
        assertEquals(Map.of(7000L, 1.0), storage.samples(info));
    }

    @Test
    void noTargetInfoWithoutNonIdentifyingAttributes() {
        Metric g = Metric.newBuilder().setName("x").setGauge(Gauge.newBuilder().addDataPoints(point(0, 1000, 1))).build();
        send(request(attrs("service.name", "only"), g));
        assertTrue(storage.byName("target_info").isEmpty());
        assertEquals(Map.of(1000L, 1.0), storage.samples(l("__name__", "x", "job", "only")));
    }

    @Test
    void cumulativeHistogram() {
        Metric h = Metric.newBuilder().setName("http.server.duration").setUnit("s").setHistogram(Histogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .addDataPoints(HistogramDataPoint.newBuilder().setStartTimeUnixNano(1000 * MS).setTimeUnixNano(2000 * MS)
                        .addAllExplicitBounds(List.of(0.5, 5.0)).addAllBucketCounts(List.of(2L, 3L, 4L)).setCount(9).setSum(20)
                        .addAllAttributes(attrs("route", "/a")))).build();
        send(request(attrs("service.name", "api"), h));
        String n = "http_server_duration_seconds";
        assertEquals(Map.of(2000L, 2.0), storage.samples(l("__name__", n + "_bucket", "le", "0.5", "route", "/a", "job", "api")));
        assertEquals(Map.of(2000L, 5.0), storage.samples(l("__name__", n + "_bucket", "le", "5", "route", "/a", "job", "api")));
        assertEquals(Map.of(2000L, 9.0), storage.samples(l("__name__", n + "_bucket", "le", "+Inf", "route", "/a", "job", "api")));
        assertEquals(Map.of(2000L, 20.0), storage.samples(l("__name__", n + "_sum", "route", "/a", "job", "api")));
        assertEquals(Map.of(2000L, 9.0), storage.samples(l("__name__", n + "_count", "route", "/a", "job", "api")));
        assertEquals("histogram", storage.metadata().get(n).get(0).type());
    }

    @Test
    void deltaHistogramAccumulates() {
        for (int i = 0; i < 3; i++) {
            Metric h = Metric.newBuilder().setName("lat").setUnit("ms").setHistogram(Histogram.newBuilder()
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                    .addDataPoints(HistogramDataPoint.newBuilder().setStartTimeUnixNano((1000 + i * 1000) * MS)
                            .setTimeUnixNano((2000 + i * 1000) * MS).addAllExplicitBounds(List.of(10.0))
                            .addAllBucketCounts(List.of(1L, 2L)).setCount(3).setSum(30))).build();
            assertEquals(0, send(request(attrs("service.name", "api"), h)).rejectedPoints());
        }
        assertEquals(Map.of(2000L, 1.0, 3000L, 2.0, 4000L, 3.0),
                storage.samples(l("__name__", "lat_milliseconds_bucket", "le", "10", "job", "api")));
        assertEquals(Map.of(2000L, 3.0, 3000L, 6.0, 4000L, 9.0),
                storage.samples(l("__name__", "lat_milliseconds_bucket", "le", "+Inf", "job", "api")));
        assertEquals(Map.of(2000L, 30.0, 3000L, 60.0, 4000L, 90.0), storage.samples(l("__name__", "lat_milliseconds_sum", "job", "api")));
    }

    @Test
    void summaryQuantiles() {
        Metric s = Metric.newBuilder().setName("rpc.latency").setUnit("s").setSummary(Summary.newBuilder()
                .addDataPoints(SummaryDataPoint.newBuilder().setTimeUnixNano(3000 * MS).setCount(10).setSum(4.5)
                        .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99).setValue(0.8)))).build();
        send(request(attrs("service.name", "api"), s));
        assertEquals(Map.of(3000L, 0.8), storage.samples(l("__name__", "rpc_latency_seconds", "quantile", "0.99", "job", "api")));
        assertEquals(Map.of(3000L, 10.0), storage.samples(l("__name__", "rpc_latency_seconds_count", "job", "api")));
        assertEquals(Map.of(3000L, 4.5), storage.samples(l("__name__", "rpc_latency_seconds_sum", "job", "api")));
    }

    @Test
    void exponentialHistogramsAndUnspecifiedTemporalityAreRefusedPerPoint() {
        Metric e = Metric.newBuilder().setName("exp").setExponentialHistogram(ExponentialHistogram.newBuilder()
                .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(1000 * MS))
                .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(1000 * MS))).build();
        Metric u = Otlp.sum("unspec", "", true, AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED, point(0, 1000, 1));
        Metric ok = Metric.newBuilder().setName("fine").setGauge(Gauge.newBuilder().addDataPoints(point(0, 1000, 1))).build();
        OtlpBatch b = send(request(attrs("service.name", "api"), e, u, ok));
        assertEquals(3, b.rejectedPoints());
        String msg = b.ingest.refusalSummary();
        assertTrue(msg.contains("exponential histograms are not supported"), msg);
        assertTrue(msg.contains("invalid temporality"), msg);
        assertEquals(Map.of(1000L, 1.0), storage.samples(l("__name__", "fine", "job", "api")));
    }

    @Test
    void noRecordedValueWritesStaleMarker() {
        Metric g = Metric.newBuilder().setName("up").setGauge(Gauge.newBuilder()
                .addDataPoints(point(0, 1000, 1)).addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(2000 * MS)
                        .setFlags(1))).build();
        send(request(attrs("service.name", "api"), g));
        assertTrue(StaleNaN.is(storage.samples(l("__name__", "up", "job", "api")).get(2000L)));
    }

    private Map<Long, Double> counter() {
        return storage.samples(l("__name__", "reqs_total", "job", "api"));
    }

    private OtlpBatch delta(long start, long time, double v) {
        return send(request(attrs("service.name", "api"), Otlp.deltaCounter("reqs", point(start, time, v))));
    }

    @Test
    void deltaRules() {
        assertEquals(0, delta(1000, 2000, 5).rejectedPoints());
        assertEquals(0, delta(2000, 3000, 1).rejectedPoints(), "contiguous");
        assertEquals(0, delta(9000, 10000, 2).rejectedPoints(), "gap: still accumulates");
        assertEquals(1, delta(2500, 3500, 7).rejectedPoints(), "older than the last point");
        assertEquals(1, delta(9000, 10000, 2).rejectedPoints(), "duplicate (retried export)");
        assertEquals(1, delta(9500, 11000, 2).rejectedPoints(), "overlapping the last point");
        assertEquals(0, delta(50_000, 51_000, 4).rejectedPoints(), "client restart: new start time continues the total");
        assertEquals(Map.of(2000L, 5.0, 3000L, 6.0, 10000L, 8.0, 51000L, 12.0), counter());
    }

    @Test
    void evictedStreamResumesFromStorage() {
        delta(1000, 2000, 5);
        delta(2000, 3000, 5);
        now += 2 * 3_600_000;
        assertEquals(1, delta.evictIdle());
        assertEquals(0, delta.size());
        delta(3000, 4000, 1);
        assertEquals(Map.of(2000L, 5.0, 3000L, 10.0, 4000L, 11.0), counter());
        delta = new DeltaAccumulator(new StorageHistory(storage), 1000, 3_600_000, 86_400_000, () -> now, false);
        assertEquals(1, delta(3500, 3900, 1).rejectedPoints(), "after a restart the stored last time still orders points");
        delta(4000, 5000, 2);
        assertEquals(13.0, counter().get(5000L));
    }

    @Test
    void streamLimitRefusesNewStreams() {
        delta = new DeltaAccumulator(new StorageHistory(storage), 1, 3_600_000, 86_400_000, () -> now, false);
        delta(1000, 2000, 1);
        OtlpBatch b = send(request(attrs("service.name", "api"), Otlp.deltaCounter("other", point(1000, 2000, 1))));
        assertEquals(1, b.rejectedPoints());
        assertTrue(b.ingest.refusalSummary().contains("max-streams"));
    }

    @Test
    void nonMonotonicDeltaSumIsAGaugeOfTheRunningTotal() {
        Metric m = Otlp.sum("queue.items", "{item}", false, AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA,
                point(1000, 2000, 5));
        send(request(attrs("service.name", "api"), m));
        Metric m2 = Otlp.sum("queue.items", "{item}", false, AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA,
                point(2000, 3000, -2));
        send(request(attrs("service.name", "api"), m2));
        assertEquals(Map.of(2000L, 5.0, 3000L, 3.0), storage.samples(l("__name__", "queue_items", "job", "api")));
        assertEquals("gauge", storage.metadata().get("queue_items").get(0).type());
        assertNull(storage.metadata().get("queue_items_total"));
    }
}
