package tally.promql.engine;

import java.util.ArrayList;
import java.util.List;
import tally.model.Labels;
import tally.model.MatchType;
import tally.model.Matcher;
import tally.model.SampleIterator;
import tally.model.SelectHints;
import tally.model.Series;
import tally.model.SeriesSet;
import tally.model.StaleNaN;
import tally.promql.ast.MatrixSelector;
import tally.promql.ast.VectorSelector;

/**
 * Reads storage for selectors. Each series is decoded once for the whole query: the iterator moves forward
 * across all steps (seeking over gaps wider than a window), never restarting per step.
 */
final class Selectors {
    private Selectors() {}

    static SeriesSet select(Evaluator ev, VectorSelector vs, long mint, long maxt, String func, long rangeMs) {
        boolean sorted = !ev.ctx.isOrderFree(vs);
        return ev.ctx.selects.select(ev.ctx.querier, sorted, new SelectHints(mint, maxt, func, rangeMs, ev.interval), vs.matchers());
    }

    /** Whether the selector admits a single metric name (an equality matcher on it). */
    static boolean namePinned(VectorSelector vs) {
        for (Matcher m : vs.matchers()) {
            if (m.name().equals(Labels.METRIC_NAME) && m.type() == MatchType.EQUAL) return true;
        }
        return false;
    }

    /**
     * An instant-vector selector at every step: the latest sample in (t - offset - lookback, t - offset],
     * unless that sample is a staleness marker. With {@code timestampValues} the value is the sample's own
     * timestamp in seconds and the name is dropped ({@code timestamp(selector)}).
     */
    static List<StepSeries> instantVector(Evaluator ev, VectorSelector vs, boolean timestampValues) {
        long lookback = ev.ctx.opts.lookbackDeltaMs();
        long at = ev.atTime(vs.at());
        long offset = vs.offsetMs();
        long firstRef = (at != Long.MIN_VALUE ? at : ev.start) - offset;
        long lastRef = (at != Long.MIN_VALUE ? at : ev.end) - offset;
        SeriesSet set = select(ev, vs, firstRef - lookback + 1, lastRef, null, 0);
        List<StepSeries> out = new ArrayList<>();
        SampleIterator it = null;
        int capacity = Math.min(ev.numSteps, 64);
        while (set.next()) {
            ev.ctx.checkCancelled();
            Series series = set.at();
            it = series.iterator(it);
            StepSeries s = new StepSeries(timestampValues ? series.labels().withoutMetricName() : series.labels(), capacity);
            boolean valid = it.seek(firstRef - lookback + 1);
            long lastT = Long.MIN_VALUE;
            double lastV = 0;
            for (int step = 0; step < ev.numSteps; step++) {
                ev.ctx.checkCancelled();
                long t = ev.stepTime(step);
                long ref = at != Long.MIN_VALUE ? at - offset : t - offset;
                long lo = ref - lookback; // exclusive
                if (valid && it.atT() <= lo) valid = it.seek(lo + 1);
                while (valid && it.atT() <= ref) {
                    lastT = it.atT();
                    lastV = it.atV();
                    valid = it.next();
                }
                if (lastT > lo && lastT <= ref && !StaleNaN.is(lastV)) {
                    s.add(t, timestampValues ? lastT / 1000.0 : lastV);
                }
            }
            if (s.n > 0) {
                ev.ctx.addSamples(s.n);
                out.add(s);
            }
        }
        if (timestampValues) return SeriesMerger.mergeSameLabels(out);
        return out;
    }

    /** A range selector evaluated at a single time: raw samples in (t - offset - range, t - offset], no stale markers. */
    static List<StepSeries> rawMatrix(Evaluator ev, MatrixSelector ms) {
        if (!ev.isInstant()) throw new IllegalStateException("cannot do range evaluation of matrix selector");
        VectorSelector vs = ms.selector();
        long at = ev.atTime(vs.at());
        long ref = (at != Long.MIN_VALUE ? at : ev.start) - vs.offsetMs();
        long lo = ref - ms.rangeMs();
        SeriesSet set = select(ev, vs, lo + 1, ref, null, ms.rangeMs());
        List<StepSeries> out = new ArrayList<>();
        SampleIterator it = null;
        while (set.next()) {
            ev.ctx.checkCancelled();
            Series series = set.at();
            it = series.iterator(it);
            StepSeries s = new StepSeries(series.labels(), 16);
            boolean valid = it.seek(lo + 1);
            while (valid && it.atT() <= ref) {
                if (!StaleNaN.is(it.atV())) {
                    s.add(it.atT(), it.atV());
                    ev.ctx.addSamples(1);
                }
                valid = it.next();
            }
            if (s.n > 0) out.add(s);
        }
        return out;
    }
}
