package tally.server.otlp;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;

import java.util.List;

/** Feeds a parsed (generated-classes) request to a visitor: the path for OTLP/JSON and for tests. */
final class GeneratedWalker {
    private final AttrList attrs = new AttrList();
    private double[] d1 = new double[16];
    private double[] d2 = new double[16];
    private long[] l1 = new long[16];

    void walk(ExportMetricsServiceRequest req, OtlpVisitor v) {
        for (ResourceMetrics rm : req.getResourceMetricsList()) {
            v.resource(attrs(rm.getResource().getAttributesList()));
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                v.scope(sm.getScope().getName(), sm.getScope().getVersion(), sm.getSchemaUrl(), attrs(sm.getScope().getAttributesList()));
                for (Metric m : sm.getMetricsList()) metric(m, v);
            }
            v.endResource();
        }
    }

    private void metric(Metric m, OtlpVisitor v) {
        switch (m.getDataCase()) {
            case GAUGE -> {
                v.metric(m.getName(), m.getDescription(), m.getUnit(), OtlpVisitor.DataKind.GAUGE, 0, false);
                numbers(m.getGauge().getDataPointsList(), v);
            }
            case SUM -> {
                v.metric(m.getName(), m.getDescription(), m.getUnit(), OtlpVisitor.DataKind.SUM,
                        m.getSum().getAggregationTemporalityValue(), m.getSum().getIsMonotonic());
                numbers(m.getSum().getDataPointsList(), v);
            }
            case HISTOGRAM -> {
                v.metric(m.getName(), m.getDescription(), m.getUnit(), OtlpVisitor.DataKind.HISTOGRAM,
                        m.getHistogram().getAggregationTemporalityValue(), false);
                for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) histogram(p, v);
            }
            case EXPONENTIAL_HISTOGRAM -> {
                v.metric(m.getName(), m.getDescription(), m.getUnit(), OtlpVisitor.DataKind.EXPONENTIAL_HISTOGRAM,
                        m.getExponentialHistogram().getAggregationTemporalityValue(), false);
                for (int i = 0; i < m.getExponentialHistogram().getDataPointsCount(); i++) v.unsupportedPoint();
            }
            case SUMMARY -> {
                v.metric(m.getName(), m.getDescription(), m.getUnit(), OtlpVisitor.DataKind.SUMMARY, 0, false);
                for (SummaryDataPoint p : m.getSummary().getDataPointsList()) summary(p, v);
            }
            default -> v.metric(m.getName(), m.getDescription(), m.getUnit(), OtlpVisitor.DataKind.NONE, 0, false);
        }
    }

    private void numbers(List<NumberDataPoint> points, OtlpVisitor v) {
        for (NumberDataPoint p : points) {
            double value = p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? (double) p.getAsInt() : p.getAsDouble();
            v.number(attrs(p.getAttributesList()), p.getStartTimeUnixNano(), p.getTimeUnixNano(), p.getFlags(), value);
        }
    }

    private void histogram(HistogramDataPoint p, OtlpVisitor v) {
        int nb = p.getExplicitBoundsCount(), nc = p.getBucketCountsCount();
        if (d1.length < nb) d1 = new double[nb];
        if (l1.length < nc) l1 = new long[nc];
        for (int i = 0; i < nb; i++) d1[i] = p.getExplicitBounds(i);
        for (int i = 0; i < nc; i++) l1[i] = p.getBucketCounts(i);
        v.histogram(attrs(p.getAttributesList()), p.getStartTimeUnixNano(), p.getTimeUnixNano(), p.getFlags(), p.getCount(),
                p.getSum(), p.hasSum(), d1, nb, l1, nc);
    }

    private void summary(SummaryDataPoint p, OtlpVisitor v) {
        int n = p.getQuantileValuesCount();
        if (d1.length < n) d1 = new double[n];
        if (d2.length < n) d2 = new double[n];
        for (int i = 0; i < n; i++) {
            d1[i] = p.getQuantileValues(i).getQuantile();
            d2[i] = p.getQuantileValues(i).getValue();
        }
        v.summary(attrs(p.getAttributesList()), p.getTimeUnixNano(), p.getFlags(), p.getCount(), p.getSum(), d1, d2, n);
    }

    private AttrList attrs(List<KeyValue> kvs) {
        attrs.clear();
        return attrs.addAll(kvs);
    }
}
