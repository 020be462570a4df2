package tally.server.otlp;

import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import tally.model.Labels;
import tally.model.LabelsBuilder;
import tally.model.StaleNaN;
import tally.server.otlp.delta.DeltaAccumulator;
import tally.server.otlp.delta.HistogramStream;
import tally.server.otlp.delta.StreamKey;

import java.util.List;

/**
 * Explicit-bucket histograms ({@code _bucket{le}} cumulative counts ending with {@code +Inf},
 * {@code _sum}, {@code _count}) and summaries ({@code {quantile}}, {@code _sum}, {@code _count}).
 */
final class DistributionWriter {
    private final DeltaAccumulator delta;
    private final SeriesLabeler labeler;
    private final OtlpBatch out;

    DistributionWriter(DeltaAccumulator delta, SeriesLabeler labeler, OtlpBatch out) {
        this.delta = delta;
        this.labeler = labeler;
        this.out = out;
    }

    long histograms(List<HistogramDataPoint> points, boolean isDelta, String name, OtlpTranslator.Scope scope) {
        long maxT = Long.MIN_VALUE;
        for (HistogramDataPoint p : points) {
            out.point();
            int nb = p.getExplicitBoundsCount();
            if (p.getBucketCountsCount() != 0 && p.getBucketCountsCount() != nb + 1) {
                out.reject("invalid_histogram", "histogram \"" + name + "\" has " + p.getBucketCountsCount()
                        + " bucket counts for " + nb + " bounds (want bounds + 1)");
                continue;
            }
            Labels base = labeler.labels(p.getAttributesList(), scope.resource(), scope.labels(), name);
            long t = p.getTimeUnixNano() / 1_000_000L;
            double[] bounds = new double[nb];
            for (int i = 0; i < nb; i++) bounds[i] = p.getExplicitBounds(i);
            boolean ok;
            if ((p.getFlags() & OtlpTranslator.FLAG_NO_RECORDED_VALUE) != 0) {
                ok = writeHistogram(base, name, t, bounds, null, StaleNaN.VALUE, StaleNaN.VALUE, true);
            } else if (isDelta) {
                ok = histogramDelta(new StreamKey(scope.hash(), base), p, name, t, bounds);
            } else {
                double[] cum = new double[nb + 1];
                double run = 0;
                for (int i = 0; i < p.getBucketCountsCount(); i++) {
                    run += p.getBucketCounts(i);
                    cum[i] = run;
                }
                ok = writeHistogram(base, name, t, bounds, p.getBucketCountsCount() == 0 ? null : cum,
                        p.getCount(), p.getSum(), p.hasSum());
            }
            if (ok) maxT = Math.max(maxT, t);
            else out.rejectedByStorage();
        }
        out.ingest.countSeries(points.size());
        return maxT;
    }

    private boolean histogramDelta(StreamKey key, HistogramDataPoint p, String name, long t, double[] bounds) {
        HistogramStream stream = delta.histogram(key, bounds, t);
        if (stream == null) {
            out.reject("delta_stream_limit", "too many delta streams in memory; raise --otlp.delta.max-streams");
            return true; // counted already
        }
        synchronized (stream) {
            String refusal = stream.refusal(p.getStartTimeUnixNano(), p.getTimeUnixNano());
            if (refusal != null) {
                out.reject("delta_out_of_order", refusal + " for series " + key.labels());
                return true; // counted already
            }
            long[] raw = new long[bounds.length + 1];
            for (int i = 0; i < p.getBucketCountsCount(); i++) raw[i] = p.getBucketCounts(i);
            if (p.getBucketCountsCount() == 0) raw[bounds.length] = p.getCount();
            HistogramStream.Totals totals = stream.totalsWith(bounds, raw, p.getCount(), p.hasSum() ? p.getSum() : 0);
            boolean ok = writeHistogram(key.labels(), name, t, bounds, totals.cumulativeBuckets(), totals.count(), totals.sum(), p.hasSum());
            if (ok) {
                stream.commit(p.getStartTimeUnixNano(), p.getTimeUnixNano(), totals);
                out.touchedStreams.add(key);
            } else {
                delta.forget(List.of(key)); // partly written: re-read the truth from storage next time
            }
            return ok;
        }
    }

    /** Writes all series of one histogram point; cumulative == null means no buckets besides +Inf. */
    private boolean writeHistogram(Labels base, String name, long t, double[] bounds, double[] cumulative,
                                   double count, double sum, boolean hasSum) {
        boolean stale = StaleNaN.is(count);
        boolean ok = true;
        LabelsBuilder b = base.toBuilder().set(Labels.METRIC_NAME, name + "_bucket");
        for (int i = 0; i < bounds.length; i++) {
            b.set("le", PromFormat.le(bounds[i]));
            double v = stale ? StaleNaN.VALUE : cumulative == null ? 0 : cumulative[i];
            ok &= out.ingest.append(b.build(), t, v);
        }
        b.set("le", "+Inf");
        ok &= out.ingest.append(b.build(), t, stale ? StaleNaN.VALUE : count);
        b.remove("le");
        if (hasSum) ok &= out.ingest.append(b.set(Labels.METRIC_NAME, name + "_sum").build(), t, sum);
        ok &= out.ingest.append(b.set(Labels.METRIC_NAME, name + "_count").build(), t, count);
        return ok;
    }

    long summaries(List<SummaryDataPoint> points, String name, OtlpTranslator.Scope scope) {
        long maxT = Long.MIN_VALUE;
        for (SummaryDataPoint p : points) {
            out.point();
            Labels base = labeler.labels(p.getAttributesList(), scope.resource(), scope.labels(), name);
            long t = p.getTimeUnixNano() / 1_000_000L;
            boolean stale = (p.getFlags() & OtlpTranslator.FLAG_NO_RECORDED_VALUE) != 0;
            boolean ok = true;
            LabelsBuilder b = base.toBuilder();
            for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
                b.set("quantile", PromFormat.le(q.getQuantile()));
                ok &= out.ingest.append(b.build(), t, stale ? StaleNaN.VALUE : q.getValue());
            }
            b.remove("quantile");
            ok &= out.ingest.append(b.set(Labels.METRIC_NAME, name + "_sum").build(), t, stale ? StaleNaN.VALUE : p.getSum());
            ok &= out.ingest.append(b.set(Labels.METRIC_NAME, name + "_count").build(), t, stale ? StaleNaN.VALUE : p.getCount());
            if (ok) maxT = Math.max(maxT, t);
            else out.rejectedByStorage();
        }
        out.ingest.countSeries(points.size());
        return maxT;
    }
}
