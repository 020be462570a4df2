package tally.server.otlp;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Small builders for OTLP test requests. */
public final class Otlp {
    public static final long MS = 1_000_000L;

    private Otlp() {}

    public static List<KeyValue> attrs(String... kv) {
        List<KeyValue> out = new ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.add(KeyValue.newBuilder().setKey(kv[i]).setValue(AnyValue.newBuilder().setStringValue(kv[i + 1])).build());
        }
        return out;
    }

    public static ExportMetricsServiceRequest request(List<KeyValue> resource, Metric... metrics) {
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder().addAllAttributes(resource))
                .addScopeMetrics(ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder().setName("test.scope").setVersion("1.0"))
                        .addAllMetrics(List.of(metrics)))).build();
    }

    public static NumberDataPoint point(long startMs, long timeMs, double v, String... attrs) {
        return NumberDataPoint.newBuilder().setStartTimeUnixNano(startMs * MS).setTimeUnixNano(timeMs * MS).setAsDouble(v)
                .addAllAttributes(attrs(attrs)).build();
    }

    public static Metric sum(String name, String unit, boolean monotonic, AggregationTemporality temporality, NumberDataPoint... points) {
        return Metric.newBuilder().setName(name).setUnit(unit).setDescription("help of " + name)
                .setSum(Sum.newBuilder().setIsMonotonic(monotonic).setAggregationTemporality(temporality).addAllDataPoints(List.of(points)))
                .build();
    }

    public static Metric deltaCounter(String name, NumberDataPoint... points) {
        return sum(name, "", true, AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, points);
    }

    /** A whole request of one gauge point from service "svc", as protobuf bytes. */
    public static byte[] gauge(String name, long t, double v, String... attrs) {
        Metric g = Metric.newBuilder().setName(name).setGauge(Gauge.newBuilder().addDataPoints(point(0, t, v, attrs))).build();
        return request(attrs("service.name", "svc"), g).toByteArray();
    }

    public static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write(raw);
        }
        return b.toByteArray();
    }
}
