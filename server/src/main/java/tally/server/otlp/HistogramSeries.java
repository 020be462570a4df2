package tally.server.otlp;

import tally.model.Labels;
import tally.model.LabelsBuilder;
import tally.model.StaleNaN;
import tally.server.ingest.IngestBatch;

/**
 * Writes one classic histogram point as Prometheus series: {@code _bucket{le}} cumulative counts ending with
 * {@code le="+Inf"} (= count), {@code _sum} and {@code _count}. Shared by OTLP histograms and the histograms
 * derived from Claude Code's events, so both lay out (and recover) their series the same way.
 */
public final class HistogramSeries {
    private HistogramSeries() {}

    /**
     * @param base       the series' labels; its metric name is replaced
     * @param cumulative per-bound cumulative counts; null means no buckets besides +Inf (each bound gets 0)
     * @param count      the point's count (a stale marker NaN writes stale markers everywhere)
     * @return true when every series was appended
     */
    public static boolean write(IngestBatch out, Labels base, String name, long t, double[] bounds, double[] cumulative,
                                double count, double sum, boolean hasSum) {
        boolean stale = StaleNaN.is(count);
        boolean ok = true;
        LabelsBuilder b = base.toBuilder().set(Labels.METRIC_NAME, name + "_bucket");
        for (int i = 0; i < bounds.length; i++) {
            b.set("le", PromFormat.le(bounds[i]));
            double v = stale ? StaleNaN.VALUE : cumulative == null ? 0 : cumulative[i];
            ok &= out.append(b.build(), t, v);
        }
        b.set("le", "+Inf");
        ok &= out.append(b.build(), t, stale ? StaleNaN.VALUE : count);
        b.remove("le");
        if (hasSum) ok &= out.append(b.set(Labels.METRIC_NAME, name + "_sum").build(), t, sum);
        ok &= out.append(b.set(Labels.METRIC_NAME, name + "_count").build(), t, count);
        return ok;
    }
}
