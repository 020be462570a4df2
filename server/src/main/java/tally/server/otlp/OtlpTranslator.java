package tally.server.otlp;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import tally.model.Labels;
import tally.model.MetricMetadata;
import tally.model.StaleNaN;
import tally.server.ingest.MetadataRecorder;
import tally.server.otlp.delta.DeltaAccumulator;
import tally.server.otlp.delta.NumberStream;
import tally.server.otlp.delta.StreamKey;

import java.util.List;

/**
 * OTLP metrics -> Prometheus samples, as Prometheus's OTLP receiver does with
 * {@code UnderscoreEscapingWithSuffixes} and delta-to-cumulative conversion on.
 * Sums and gauges are written here; histograms and summaries by {@link DistributionWriter}.
 */
public final class OtlpTranslator {
    static final int FLAG_NO_RECORDED_VALUE = 1;

    private final TranslationSettings settings;
    private final DeltaAccumulator delta;
    private final MetadataRecorder metadata;
    private final MetricNamer metricNamer = new MetricNamer();
    private final LabelNamer labelNamer = new LabelNamer();

    public OtlpTranslator(TranslationSettings settings, DeltaAccumulator delta, MetadataRecorder metadata) {
        this.settings = settings;
        this.delta = delta;
        this.metadata = metadata;
    }

    public void translate(ExportMetricsServiceRequest request, OtlpBatch out) {
        SeriesLabeler labeler = new SeriesLabeler(labelNamer);
        DistributionWriter distributions = new DistributionWriter(delta, labeler, out);
        for (ResourceMetrics rm : request.getResourceMetricsList()) {
            ResourceContext resource = new ResourceContext(rm.getResource(), settings, labelNamer);
            long maxT = Long.MIN_VALUE;
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                List<String[]> scope = labeler.scopeLabels(sm.getScope(), sm.getSchemaUrl(), settings);
                long hash = ResourceContext.mix(ResourceContext.mix(ResourceContext.mix(resource.hash, sm.getScope().getName()),
                        sm.getScope().getVersion()), sm.getSchemaUrl());
                Scope ctx = new Scope(resource, scope, hash);
                for (Metric m : sm.getMetricsList()) maxT = Math.max(maxT, metric(m, ctx, labeler, distributions, out));
            }
            if (resource.targetInfo != null && maxT != Long.MIN_VALUE) {
                out.ingest.appendQuietly(resource.targetInfo, maxT, 1);
                metadata.record("target_info", new MetricMetadata("gauge", "Target metadata", ""));
            }
        }
    }

    /** Per-scope context the point writers need. */
    record Scope(ResourceContext resource, List<String[]> labels, long hash) {}

    /** Writes one metric; returns the latest sample time written (or Long.MIN_VALUE). */
    private long metric(Metric m, Scope scope, SeriesLabeler labeler, DistributionWriter distributions, OtlpBatch out) {
        MetricKind kind;
        switch (m.getDataCase()) {
            case GAUGE -> kind = MetricKind.GAUGE;
            case SUM -> kind = m.getSum().getIsMonotonic() ? MetricKind.MONOTONIC_COUNTER : MetricKind.NON_MONOTONIC_COUNTER;
            case HISTOGRAM -> kind = MetricKind.HISTOGRAM;
            case SUMMARY -> kind = MetricKind.SUMMARY;
            case EXPONENTIAL_HISTOGRAM -> {
                int n = m.getExponentialHistogram().getDataPointsCount();
                for (int i = 0; i < n; i++) {
                    out.point();
                    out.reject("exponential_histogram", "exponential histograms are not supported (metric \"" + m.getName()
                            + "\"); configure explicit-bucket histograms in the SDK");
                }
                return Long.MIN_VALUE;
            }
            default -> {
                return Long.MIN_VALUE; // no data: nothing to write
            }
        }
        String name = metricNamer.name(m.getName(), m.getUnit(), kind);
        int points = pointCount(m);
        if (name == null) {
            for (int i = 0; i < points; i++) {
                out.point();
                out.reject("invalid_name", "metric name \"" + m.getName() + "\" has no valid characters");
            }
            return Long.MIN_VALUE;
        }
        AggregationTemporality temporality = switch (m.getDataCase()) {
            case SUM -> m.getSum().getAggregationTemporality();
            case HISTOGRAM -> m.getHistogram().getAggregationTemporality();
            default -> AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
        };
        if (temporality != AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE
                && temporality != AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA) {
            for (int i = 0; i < points; i++) {
                out.point();
                out.reject("invalid_temporality", "invalid temporality and type combination for metric \"" + m.getName() + "\"");
            }
            return Long.MIN_VALUE;
        }
        metadata.record(name, new MetricMetadata(kind.promType, m.getDescription(), MetricNamer.unitName(m.getUnit())));
        boolean isDelta = temporality == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
        return switch (m.getDataCase()) {
            case GAUGE -> numbers(m.getGauge().getDataPointsList(), false, name, scope, labeler, out);
            case SUM -> numbers(m.getSum().getDataPointsList(), isDelta, name, scope, labeler, out);
            case HISTOGRAM -> distributions.histograms(m.getHistogram().getDataPointsList(), isDelta, name, scope);
            default -> distributions.summaries(m.getSummary().getDataPointsList(), name, scope);
        };
    }

    private static int pointCount(Metric m) {
        return switch (m.getDataCase()) {
            case GAUGE -> m.getGauge().getDataPointsCount();
            case SUM -> m.getSum().getDataPointsCount();
            case HISTOGRAM -> m.getHistogram().getDataPointsCount();
            case SUMMARY -> m.getSummary().getDataPointsCount();
            default -> 0;
        };
    }

    private long numbers(List<NumberDataPoint> points, boolean isDelta, String name, Scope scope, SeriesLabeler labeler, OtlpBatch out) {
        long maxT = Long.MIN_VALUE;
        for (int i = 0, n = points.size(); i < n; i++) {
            NumberDataPoint p = points.get(i);
            out.point();
            Labels labels = labeler.labels(p.getAttributesList(), scope.resource(), scope.labels(), name);
            long t = p.getTimeUnixNano() / 1_000_000L;
            boolean noValue = (p.getFlags() & FLAG_NO_RECORDED_VALUE) != 0;
            double v = noValue ? StaleNaN.VALUE
                    : p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? (double) p.getAsInt() : p.getAsDouble();
            boolean ok;
            if (isDelta && !noValue) {
                ok = appendDelta(new StreamKey(scope.hash(), labels), p, t, v, out);
            } else {
                ok = out.ingest.append(labels, t, v);
                if (!ok) out.rejectedByStorage();
            }
            if (ok) maxT = Math.max(maxT, t);
        }
        out.ingest.countSeries(points.size());
        return maxT;
    }

    private boolean appendDelta(StreamKey key, NumberDataPoint p, long t, double v, OtlpBatch out) {
        NumberStream stream = delta.number(key, t);
        if (stream == null) {
            out.reject("delta_stream_limit", "too many delta streams in memory; raise --otlp.delta.max-streams");
            return false;
        }
        synchronized (stream) {
            String refusal = stream.refusal(p.getStartTimeUnixNano(), p.getTimeUnixNano());
            if (refusal != null) {
                out.reject("delta_out_of_order", refusal + " for series " + key.labels());
                return false;
            }
            double total = stream.totalWith(v);
            if (!out.ingest.append(key.labels(), t, total)) {
                out.rejectedByStorage();
                return false;
            }
            stream.commit(p.getStartTimeUnixNano(), p.getTimeUnixNano(), total);
            out.touchedStreams.add(key);
            return true;
        }
    }
}
