package tally.server.otlp;

import tally.model.Labels;
import tally.model.MetricMetadata;
import tally.model.StaleNaN;
import tally.server.otlp.delta.NumberStream;
import tally.server.otlp.delta.StreamKey;

import java.util.List;

/**
 * One request's translation: receives resources, scopes, metrics and points from a decoder, names
 * and labels them, and writes Sums and Gauges (histograms and summaries via {@link DistributionWriter}).
 */
final class TranslationSession implements OtlpVisitor {
    private final OtlpTranslator t;
    private final OtlpBatch out;
    private final SeriesLabeler labeler;
    private final DistributionWriter distributions;

    private ResourceContext resource;
    private long resourceMaxT;
    private Scope scope;

    // the current metric
    private String name;
    private DataKind kind;
    private boolean isDelta;
    private String refusalReason;
    private String refusalMessage;

    /** Per-scope context the point writers need. */
    record Scope(ResourceContext resource, List<String[]> labels, long hash) {}

    TranslationSession(OtlpTranslator translator, OtlpBatch out) {
        this.t = translator;
        this.out = out;
        this.labeler = new SeriesLabeler(translator.labelNamer);
        this.distributions = new DistributionWriter(translator.delta, labeler, out);
    }

    @Override
    public void resource(AttrList attributes) {
        resource = new ResourceContext(attributes, t.settings, t.labelNamer);
        resourceMaxT = Long.MIN_VALUE;
    }

    @Override
    public void scope(String scopeName, String version, String schemaUrl, AttrList attributes) {
        long hash = ResourceContext.mix(ResourceContext.mix(ResourceContext.mix(resource.hash, scopeName), version), schemaUrl);
        scope = new Scope(resource, labeler.scopeLabels(scopeName, version, schemaUrl, attributes, t.settings), hash);
    }

    @Override
    public void metric(String otelName, String description, String unit, DataKind dataKind, int temporality, boolean monotonic) {
        this.kind = dataKind;
        this.name = null;
        this.refusalReason = null;
        MetricKind mk;
        switch (dataKind) {
            case GAUGE -> mk = MetricKind.GAUGE;
            case SUM -> mk = monotonic ? MetricKind.MONOTONIC_COUNTER : MetricKind.NON_MONOTONIC_COUNTER;
            case HISTOGRAM -> mk = MetricKind.HISTOGRAM;
            case SUMMARY -> mk = MetricKind.SUMMARY;
            case EXPONENTIAL_HISTOGRAM -> {
                refuse("exponential_histogram", "exponential histograms are not supported (metric \"" + otelName
                        + "\"); configure explicit-bucket histograms in the SDK");
                return;
            }
            default -> {
                return; // no data: nothing to write
            }
        }
        String promName = t.metricNamer.name(otelName, unit, mk);
        if (promName == null) {
            refuse("invalid_name", "metric name \"" + otelName + "\" has no valid characters");
            return;
        }
        boolean hasTemporality = dataKind == DataKind.SUM || dataKind == DataKind.HISTOGRAM;
        if (hasTemporality && temporality != 1 && temporality != 2) {
            refuse("invalid_temporality", "invalid temporality and type combination for metric \"" + otelName + "\"");
            return;
        }
        this.name = promName;
        this.isDelta = hasTemporality && temporality == 1;
        t.metadata.record(promName, new MetricMetadata(mk.promType, description, MetricNamer.unitName(unit)));
    }

    private void refuse(String reason, String message) {
        refusalReason = reason;
        refusalMessage = message;
    }

    /** True when the current metric's points are to be written; otherwise the point is counted as refused. */
    private boolean writable() {
        out.point();
        if (refusalReason != null) {
            out.reject(refusalReason, refusalMessage);
            return false;
        }
        return name != null;
    }

    @Override
    public void unsupportedPoint() {
        writable();
    }

    @Override
    public void number(AttrList attributes, long startNs, long timeNs, int flags, double value) {
        if (!writable()) return;
        out.ingest.countSeries(1);
        Labels labels = labeler.labels(attributes, scope.resource(), scope.labels(), name);
        long tMs = timeNs / 1_000_000L;
        boolean noValue = (flags & OtlpTranslator.FLAG_NO_RECORDED_VALUE) != 0;
        double v = noValue ? StaleNaN.VALUE : value;
        boolean ok;
        if (isDelta && !noValue) {
            ok = appendDelta(new StreamKey(scope.hash(), labels), startNs, timeNs, tMs, v);
        } else {
            ok = out.ingest.append(labels, tMs, v);
            if (!ok) out.rejectedByStorage();
        }
        if (ok) resourceMaxT = Math.max(resourceMaxT, tMs);
    }

    private boolean appendDelta(StreamKey key, long startNs, long timeNs, long tMs, double v) {
        NumberStream stream = t.delta.number(key, tMs);
        if (stream == null) {
            out.reject("delta_stream_limit", "too many delta streams in memory; raise --otlp.delta.max-streams");
            return false;
        }
        synchronized (stream) {
            String refusal = stream.refusal(startNs, timeNs);
            if (refusal != null) {
                out.reject("delta_out_of_order", refusal + " for series " + key.labels());
                return false;
            }
            double total = stream.totalWith(v);
            if (!out.ingest.append(key.labels(), tMs, total)) {
                out.rejectedByStorage();
                return false;
            }
            stream.commit(startNs, timeNs, total);
            out.touchedStreams.add(key);
            return true;
        }
    }

    @Override
    public void histogram(AttrList attributes, long startNs, long timeNs, int flags, long count, double sum, boolean hasSum,
                          double[] bounds, int boundCount, long[] buckets, int bucketCount) {
        if (!writable()) return;
        out.ingest.countSeries(1);
        long tMs = distributions.histogram(attributes, scope, name, isDelta, startNs, timeNs, flags, count, sum, hasSum,
                bounds, boundCount, buckets, bucketCount);
        resourceMaxT = Math.max(resourceMaxT, tMs);
    }

    @Override
    public void summary(AttrList attributes, long timeNs, int flags, long count, double sum, double[] quantiles, double[] values, int n) {
        if (!writable()) return;
        out.ingest.countSeries(1);
        long tMs = distributions.summary(attributes, scope, name, timeNs, flags, count, sum, quantiles, values, n);
        resourceMaxT = Math.max(resourceMaxT, tMs);
    }

    @Override
    public void endResource() {
        if (resource.targetInfo != null && resourceMaxT != Long.MIN_VALUE) {
            out.ingest.appendQuietly(resource.targetInfo, resourceMaxT, 1);
            t.metadata.record("target_info", new MetricMetadata("gauge", "Target metadata", ""));
        }
    }
}
