package tally.server.fuzz;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import tally.server.otlp.OtlpJson;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Seeds for what Claude Code does not send but other OTLP clients do: every metric type (gauge, both sums, explicit
 * and exponential histograms, summary), int and double points, exemplars, nested attribute values, and a log record
 * with a structured body. Timestamps sit next to the recorded captures'.
 */
final class SyntheticOtlp {
    /** 2026-11-21T21:00:00Z, just after the recorded sessions. */
    static final long T0_MS = 1_795_294_800_000L;
    private static final long MS = 1_000_000L;

    private SyntheticOtlp() {}

    static ExportMetricsServiceRequest metrics() {
        long t = T0_MS * MS;
        NumberDataPoint gaugePoint = NumberDataPoint.newBuilder().setTimeUnixNano(t).setAsDouble(1.5)
                .addAttributes(kv("host", str("a"))).addExemplars(Exemplar.newBuilder().setAsDouble(2).setTimeUnixNano(t)
                        .setTraceId(com.google.protobuf.ByteString.copyFrom(new byte[16]))).build();
        NumberDataPoint intPoint = NumberDataPoint.newBuilder().setStartTimeUnixNano(t - 60_000 * MS).setTimeUnixNano(t).setAsInt(42)
                .addAttributes(kv("list", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(str("x")).addValues(
                        AnyValue.newBuilder().setIntValue(3))).build()))
                .addAttributes(kv("map", AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder().addValues(kv("k", str("v")))).build()))
                .build();
        HistogramDataPoint hist = HistogramDataPoint.newBuilder().setStartTimeUnixNano(t - 60_000 * MS).setTimeUnixNano(t).setCount(6)
                .setSum(12.5).addAllBucketCounts(List.of(1L, 2L, 3L)).addAllExplicitBounds(List.of(0.5, 5.0)).setMin(0.1).setMax(9).build();
        ExponentialHistogramDataPoint exp = ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(t).setCount(3).setScale(2)
                .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(1).addBucketCounts(3)).build();
        SummaryDataPoint summary = SummaryDataPoint.newBuilder().setTimeUnixNano(t).setCount(4).setSum(8)
                .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(2)).build();
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", str("fuzz"))).addAttributes(kv("service.instance.id", str("i1"))))
                .addScopeMetrics(ScopeMetrics.newBuilder()
                        .addMetrics(Metric.newBuilder().setName("fuzz.gauge").setUnit("By").setGauge(Gauge.newBuilder().addDataPoints(gaugePoint)))
                        .addMetrics(Metric.newBuilder().setName("fuzz.updown").setUnit("1").setSum(Sum.newBuilder().setIsMonotonic(false)
                                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE).addDataPoints(intPoint)))
                        .addMetrics(Metric.newBuilder().setName("fuzz.requests").setUnit("{request}").setSum(Sum.newBuilder().setIsMonotonic(true)
                                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA).addDataPoints(intPoint)))
                        .addMetrics(Metric.newBuilder().setName("fuzz.latency").setUnit("ms").setHistogram(Histogram.newBuilder()
                                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA).addDataPoints(hist)))
                        .addMetrics(Metric.newBuilder().setName("fuzz.exp").setExponentialHistogram(ExponentialHistogram.newBuilder()
                                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE).addDataPoints(exp)))
                        .addMetrics(Metric.newBuilder().setName("fuzz.summary").setUnit("s").setSummary(Summary.newBuilder().addDataPoints(summary)))))
                .build();
    }

    static ExportLogsServiceRequest logs() {
        long t = T0_MS * MS;
        LogRecord event = LogRecord.newBuilder().setTimeUnixNano(t).setObservedTimeUnixNano(t).setSeverityNumberValue(9)
                .setBody(str("claude_code.api_request")).addAttributes(kv("event.name", str("api_request")))
                .addAttributes(kv("session.id", str("fuzz-session"))).addAttributes(kv("event.sequence", AnyValue.newBuilder().setIntValue(1).build()))
                .addAttributes(kv("model", str("claude-x"))).addAttributes(kv("cost_usd", str("0.25")))
                .addAttributes(kv("duration_ms", str("1200"))).addAttributes(kv("input_tokens", str("10"))).build();
        LogRecord other = LogRecord.newBuilder().setTimeUnixNano(t).setBody(AnyValue.newBuilder().setKvlistValue(
                KeyValueList.newBuilder().addValues(kv("msg", str("hello"))))).build();
        return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", str("claude-code"))))
                .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(event).addLogRecords(other))).build();
    }

    static byte[] json(com.google.protobuf.MessageOrBuilder m) {
        return OtlpJson.print(m).getBytes(StandardCharsets.UTF_8);
    }

    private static KeyValue kv(String k, AnyValue v) {
        return KeyValue.newBuilder().setKey(k).setValue(v).build();
    }

    private static AnyValue str(String s) {
        return AnyValue.newBuilder().setStringValue(s).build();
    }
}
