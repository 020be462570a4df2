package tally.server.otlp;

import tally.server.testing.ClaudeCodePayloads;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import org.junit.jupiter.api.Test;
import tally.model.Labels;
import tally.server.ingest.IngestBatch;
import tally.server.ingest.LabelLimits;
import tally.server.ingest.MetadataRecorder;
import tally.server.otlp.delta.DeltaAccumulator;
import tally.server.otlp.delta.StorageHistory;
import tally.server.testing.RecordingStorage;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The hand-written protobuf decoder must translate exactly like the generated classes do. */
class WireDecoderTest {

    private static KeyValue kv(String k, AnyValue v) {
        return KeyValue.newBuilder().setKey(k).setValue(v).build();
    }

    private static ExportMetricsServiceRequest rich() {
        List<KeyValue> pointAttrs = List.of(
                kv("s", AnyValue.newBuilder().setStringValue("str").build()),
                kv("b", AnyValue.newBuilder().setBoolValue(true).build()),
                kv("i", AnyValue.newBuilder().setIntValue(-42).build()),
                kv("d", AnyValue.newBuilder().setDoubleValue(0.25).build()),
                kv("bytes", AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("hi")).build()),
                kv("arr", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                        .addValues(AnyValue.newBuilder().setStringValue("a")).addValues(AnyValue.newBuilder().setIntValue(1))).build()),
                kv("map", AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                        .addValues(kv("k", AnyValue.newBuilder().setStringValue("v").build()))).build()),
                kv("a.b", AnyValue.newBuilder().setStringValue("x").build()),
                kv("a_b", AnyValue.newBuilder().setStringValue("y").build()));
        Metric gauge = Metric.newBuilder().setName("g").setUnit("1").setGauge(Gauge.newBuilder()
                .addDataPoints(NumberDataPoint.newBuilder().addAllAttributes(pointAttrs).setTimeUnixNano(1_000_000_000L).setAsInt(7))
                .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(2_000_000_000L).setAsDouble(Double.NaN))
                .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(3_000_000_000L).setFlags(1))).build();
        Metric sum = Otlp.sum("s.total", "By", true, AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA,
                Otlp.point(500, 1000, 3, "k", "v"), Otlp.point(1000, 2000, 4, "k", "v"));
        Metric hist = Metric.newBuilder().setName("h").setUnit("ms").setHistogram(Histogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(1_000_000_000L).addAllExplicitBounds(List.of(1.0, 2.5))
                        .addAllBucketCounts(List.of(1L, 2L, 3L)).setCount(6).setSum(9.5))
                .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(1_000_000_000L).setCount(2)
                        .addAllAttributes(Otlp.attrs("nobuckets", "yes")))).build();
        Metric summary = Metric.newBuilder().setName("sm").setSummary(Summary.newBuilder().addDataPoints(SummaryDataPoint.newBuilder()
                .setTimeUnixNano(1_000_000_000L).setCount(3).setSum(1.5)
                .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(0.4))
                .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.9).setValue(0.7)))).build();
        Metric exp = Metric.newBuilder().setName("e").setExponentialHistogram(ExponentialHistogram.newBuilder()
                .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setCount(1))).build();
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(Resource.newBuilder().addAllAttributes(Otlp.attrs("service.name", "svc", "host.name", "h")))
                        .addScopeMetrics(ScopeMetrics.newBuilder().setSchemaUrl("https://schema")
                                .setScope(InstrumentationScope.newBuilder().setName("sc").setVersion("1")
                                        .addAttributes(kv("team", AnyValue.newBuilder().setStringValue("core").build())))
                                .addAllMetrics(List.of(gauge, sum, hist, summary, exp))))
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(Resource.newBuilder().addAllAttributes(Otlp.attrs("service.name", "other")))
                        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(gauge)))
                .build();
    }

    private record Result(Map<Labels, NavigableMap<Long, Double>> series, long rejected, String message) {}

    private static Result viaGenerated(ExportMetricsServiceRequest req, TranslationSettings settings) {
        return run(settings, (t, b) -> t.translate(req, b));
    }

    private static Result viaWire(byte[] bytes, TranslationSettings settings) {
        return run(settings, (t, b) -> {
            try {
                t.translate(bytes, b);
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        });
    }

    private static Result run(TranslationSettings settings, java.util.function.BiConsumer<OtlpTranslator, OtlpBatch> how) {
        RecordingStorage storage = new RecordingStorage();
        DeltaAccumulator delta = new DeltaAccumulator(new StorageHistory(storage), 100, 3_600_000, 86_400_000, () -> 0, false);
        OtlpTranslator t = new OtlpTranslator(settings, delta, new MetadataRecorder(storage));
        OtlpBatch b = new OtlpBatch(new IngestBatch(storage.appender(), LabelLimits.NONE));
        how.accept(t, b);
        b.ingest.commit();
        return new Result(storage.all(), b.rejectedPoints(), b.ingest.refusalSummary());
    }

    private static void assertSame(Result expected, Result actual) {
        assertEquals(expected.series().keySet(), actual.series().keySet());
        expected.series().forEach((l, s) -> {
            NavigableMap<Long, Double> a = actual.series().get(l);
            assertEquals(s.keySet(), a.keySet(), l.toString());
            s.forEach((t, v) -> assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(a.get(t)), l + "@" + t));
        });
        assertEquals(expected.rejected(), actual.rejected());
        assertEquals(expected.message(), actual.message());
    }

    @Test
    void sameResultAsGeneratedClasses() {
        ExportMetricsServiceRequest req = rich();
        for (TranslationSettings s : new TranslationSettings[] {TranslationSettings.DEFAULTS,
                new TranslationSettings(java.util.Set.of(), true, java.util.Set.of("host.name"), true, true)}) {
            Result expected = viaGenerated(req, s);
            assertFalse(expected.series().isEmpty());
            assertEquals(1, expected.rejected());
            assertSame(expected, viaWire(req.toByteArray(), s));
        }
    }

    @Test
    void claudeCodePayloads() throws Exception {
        for (String capture : new String[] {"protobuf-default", "protobuf-cumulative"}) {
            for (ClaudeCodePayloads.Payload p : ClaudeCodePayloads.load(capture)) {
                assertSame(viaGenerated(ExportMetricsServiceRequest.parseFrom(p.wire()), TranslationSettings.DEFAULTS),
                        viaWire(p.wire(), TranslationSettings.DEFAULTS));
            }
        }
    }

    /** Protobuf allows fields in any order: a resource after its scopes, a metric's name after its data. */
    @Test
    void fieldsInReverseOrder() throws Exception {
        ExportMetricsServiceRequest req = rich();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(body);
        for (ResourceMetrics rm : req.getResourceMetricsList()) {
            ByteArrayOutputStream rmb = new ByteArrayOutputStream();
            CodedOutputStream r = CodedOutputStream.newInstance(rmb);
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                ByteArrayOutputStream smb = new ByteArrayOutputStream();
                CodedOutputStream sc = CodedOutputStream.newInstance(smb);
                for (Metric m : sm.getMetricsList()) {
                    Metric data = m.toBuilder().clearName().clearUnit().clearDescription().build();
                    Metric header = Metric.newBuilder().setName(m.getName()).setUnit(m.getUnit()).setDescription(m.getDescription()).build();
                    byte[] reversed = concat(data.toByteArray(), header.toByteArray()); // concatenated messages merge
                    sc.writeByteArray(2, reversed);
                }
                if (sm.hasScope()) sc.writeMessage(1, sm.getScope());
                sc.writeString(3, sm.getSchemaUrl());
                sc.flush();
                r.writeByteArray(2, smb.toByteArray());
            }
            r.writeMessage(1, rm.getResource());
            r.flush();
            out.writeByteArray(1, rmb.toByteArray());
        }
        out.flush();
        byte[] bytes = body.toByteArray();
        assertEquals(req, ExportMetricsServiceRequest.parseFrom(bytes), "same message, other field order");
        assertSame(viaGenerated(req, TranslationSettings.DEFAULTS), viaWire(bytes, TranslationSettings.DEFAULTS));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** Found by fuzzing remote-write, whose decoder had the same check: a length of 2^63-1 overflowed it. */
    @Test
    void aLengthNearLongMaxIsTruncationNotACrash() {
        byte[] key = {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f};
        byte[] attribute = concat(new byte[] {0x0a, (byte) key.length}, key);           // Resource.attributes
        byte[] resource = concat(new byte[] {0x0a, (byte) attribute.length}, attribute); // ResourceMetrics.resource
        byte[] request = concat(new byte[] {0x0a, (byte) resource.length}, resource);    // ExportMetricsServiceRequest.resource_metrics
        OtlpTranslator t = new OtlpTranslator(TranslationSettings.DEFAULTS,
                new DeltaAccumulator((l, a, b) -> null, 100, 1, 1, () -> 0, false), new MetadataRecorder(new RecordingStorage()));
        assertThrows(InvalidProtocolBufferException.class,
                () -> t.translate(request, new OtlpBatch(new IngestBatch(new RecordingStorage().appender(), LabelLimits.NONE))));
    }

    @Test
    void malformedInputThrows() {
        byte[] good = rich().toByteArray();
        OtlpTranslator t = new OtlpTranslator(TranslationSettings.DEFAULTS,
                new DeltaAccumulator((l, a, b) -> null, 100, 1, 1, () -> 0, false), new MetadataRecorder(new RecordingStorage()));
        for (int cut : new int[] {1, 7, good.length / 2, good.length - 1}) {
            byte[] truncated = Arrays.copyOf(good, cut);
            assertThrows(InvalidProtocolBufferException.class,
                    () -> t.translate(truncated, new OtlpBatch(new IngestBatch(new RecordingStorage().appender(), LabelLimits.NONE))),
                    "cut at " + cut);
        }
        Random rnd = new Random(1);
        int thrown = 0;
        for (int i = 0; i < 200; i++) {
            byte[] garbage = new byte[64 + rnd.nextInt(512)];
            rnd.nextBytes(garbage);
            try {
                t.translate(garbage, new OtlpBatch(new IngestBatch(new RecordingStorage().appender(), LabelLimits.NONE)));
            } catch (InvalidProtocolBufferException e) {
                thrown++;
            }
        }
        assertEquals(200, thrown, "random bytes never decode cleanly");
    }
}
