package tally.server.otlp;

import tally.model.Labels;
import tally.model.LabelsBuilder;
import tally.model.StaleNaN;
import tally.server.otlp.delta.DeltaAccumulator;
import tally.server.otlp.delta.HistogramStream;
import tally.server.otlp.delta.StreamKey;

import java.util.Arrays;
import java.util.List;

/**
 * Explicit-bucket histograms ({@code _bucket{le}} cumulative counts ending with {@code +Inf},
 * {@code _sum}, {@code _count}) and summaries ({@code {quantile}}, {@code _sum}, {@code _count}).
 * Both return the point's time in ms when written, Long.MIN_VALUE when refused (and counted).
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

    long histogram(AttrList attrs, TranslationSession.Scope scope, String name, boolean isDelta, long startNs, long timeNs,
                   int flags, long count, double sum, boolean hasSum, double[] boundsBuf, int nb, long[] buckets, int nc) {
        if (nc != 0 && nc != nb + 1) {
            out.reject("invalid_histogram", "histogram \"" + name + "\" has " + nc + " bucket counts for " + nb + " bounds (want bounds + 1)");
            return Long.MIN_VALUE;
        }
        Labels base = labeler.labels(attrs, scope.resource(), scope.labels(), name);
        long t = timeNs / 1_000_000L;
        double[] bounds = Arrays.copyOf(boundsBuf, nb);
        if ((flags & OtlpTranslator.FLAG_NO_RECORDED_VALUE) != 0) {
            return written(writeHistogram(base, name, t, bounds, null, StaleNaN.VALUE, StaleNaN.VALUE, true), t);
        }
        if (isDelta) return histogramDelta(new StreamKey(scope.hash(), base), name, startNs, timeNs, t, bounds, count, sum, hasSum, buckets, nc);
        double[] cum = new double[nb + 1];
        double run = 0;
        for (int i = 0; i < nc; i++) {
            run += buckets[i];
            cum[i] = run;
        }
        return written(writeHistogram(base, name, t, bounds, nc == 0 ? null : cum, count, sum, hasSum), t);
    }

    private long written(boolean ok, long t) {
        if (ok) return t;
        out.rejectedByStorage();
        return Long.MIN_VALUE;
    }

    private long histogramDelta(StreamKey key, String name, long startNs, long timeNs, long t, double[] bounds,
                                long count, double sum, boolean hasSum, long[] buckets, int nc) {
        HistogramStream stream = delta.histogram(key, bounds, t);
        if (stream == null) {
            out.reject("delta_stream_limit", "too many delta streams in memory; raise --otlp.delta.max-streams");
            return Long.MIN_VALUE;
        }
        synchronized (stream) {
            String refusal = stream.refusal(startNs, timeNs);
            if (refusal != null) {
                out.reject("delta_out_of_order", refusal + " for series " + key.labels());
                return Long.MIN_VALUE;
            }
            long[] raw = new long[bounds.length + 1];
            System.arraycopy(buckets, 0, raw, 0, nc);
            if (nc == 0) raw[bounds.length] = count;
            HistogramStream.Totals totals = stream.totalsWith(bounds, raw, count, hasSum ? sum : 0);
            boolean ok = writeHistogram(key.labels(), name, t, bounds, totals.cumulativeBuckets(), totals.count(), totals.sum(), hasSum);
            if (ok) {
                stream.commit(startNs, timeNs, totals);
                out.touchedStreams.add(key);
            } else {
                delta.forget(List.of(key)); // partly written: re-read the truth from storage next time
            }
            return written(ok, t);
        }
    }

    private boolean writeHistogram(Labels base, String name, long t, double[] bounds, double[] cumulative,
                                   double count, double sum, boolean hasSum) {
        return HistogramSeries.write(out.ingest, base, name, t, bounds, cumulative, count, sum, hasSum);
    }

    long summary(AttrList attrs, TranslationSession.Scope scope, String name, long timeNs, int flags, long count, double sum,
                 double[] quantiles, double[] values, int n) {
        Labels base = labeler.labels(attrs, scope.resource(), scope.labels(), name);
        long t = timeNs / 1_000_000L;
        boolean stale = (flags & OtlpTranslator.FLAG_NO_RECORDED_VALUE) != 0;
        boolean ok = true;
        LabelsBuilder b = base.toBuilder();
        for (int i = 0; i < n; i++) {
            b.set("quantile", PromFormat.le(quantiles[i]));
            ok &= out.ingest.append(b.build(), t, stale ? StaleNaN.VALUE : values[i]);
        }
        b.remove("quantile");
        ok &= out.ingest.append(b.set(Labels.METRIC_NAME, name + "_sum").build(), t, stale ? StaleNaN.VALUE : sum);
        ok &= out.ingest.append(b.set(Labels.METRIC_NAME, name + "_count").build(), t, stale ? StaleNaN.VALUE : count);
        return written(ok, t);
    }
}
