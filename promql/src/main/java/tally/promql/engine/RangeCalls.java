package tally.promql.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import tally.model.Labels;
import tally.model.SampleIterator;
import tally.model.Series;
import tally.model.SeriesSet;
import tally.promql.ast.Call;
import tally.promql.ast.Expr;
import tally.promql.ast.MatrixSelector;
import tally.promql.ast.SubqueryExpr;
import tally.promql.ast.VectorSelector;
import tally.promql.functions.RangeFunction;
import tally.promql.functions.RangeFunctions;
import tally.promql.functions.RangeWindow;

/**
 * Functions over a range argument ({@code rate(x[5m])}, {@code max_over_time(expr[1h:1m])}): one series at
 * a time, sliding the window (t - offset - range, t - offset] across all steps.
 */
final class RangeCalls {
    private RangeCalls() {}

    /** One input series: where its samples come from, abstracted over storage and subquery output. */
    private interface Source {
        Labels labels();

        int advance(long lo, long ref, RangeWindow w);

        /** After {@link #advance}: the time of the first sample right of the window, or Long.MAX_VALUE. */
        long nextSampleTime();
    }

    /**
     * Receives each input series' points as the function computes them, in input order, for series with at least
     * one point. The arrays are reused for the next series: a sink keeps a copy or folds them in at once.
     */
    interface PointsSink {
        void accept(Labels inLabels, long[] ts, double[] vs, int n);
    }

    static List<StepSeries> eval(Evaluator ev, Call call, int matrixArg, Expr arg) {
        String name = call.function().name();
        if (name.equals("absent_over_time")) return absentOverTime(ev, call, arg);
        boolean dropName = !RangeFunctions.keepsMetricName(name);
        List<StepSeries> out = new ArrayList<>();
        stream(ev, call, matrixArg, arg, (l, ts, vs, n) ->
                out.add(StepSeries.copyOf(dropName ? l.withoutMetricName() : l, ts, vs, n)));
        // storage returns each label set once: keeping the labels, or dropping a name they all share, keeps them so
        boolean unique = arg instanceof MatrixSelector ms && (!dropName || Selectors.namePinned(ms.selector()));
        if (!unique) SeriesMerger.checkUniqueLabels(out);
        return out;
    }

    /**
     * Computes the function (any but absent_over_time) over each input series and hands each series' points to the
     * sink, one series at a time: nothing of a series is kept here once the sink has it.
     */
    static void stream(Evaluator ev, Call call, int matrixArg, Expr arg, PointsSink sink) {
        String name = call.function().name();
        // scalar arguments other than the range, per step
        List<double[]> scalars = new ArrayList<>(2);
        for (int i = 0; i < call.args().size(); i++) {
            if (i != matrixArg) scalars.add(ev.evalScalar(call.args().get(i)));
        }
        Range r = range(ev, arg);
        RangeFunction fn = RangeFunctions.lookup(name);
        if (fn == null) throw PromQLException.badData("unknown range function " + name);
        boolean counterCheck = name.equals("rate") || name.equals("increase");
        RangeWindow w = new RangeWindow();
        w.rangeMs = r.rangeMs;
        double[] result = new double[2];
        // one series' points go to these buffers, which the sink copies or folds: short-lived series (one
        // session) have few points among many steps
        long[] pointTs = new long[Math.max(1, Math.min(ev.numSteps, 64))];
        double[] pointVs = new double[pointTs.length];
        Iterator<Source> sources = sources(ev, arg, name);
        while (sources.hasNext()) {
            Source src = sources.next();
            ev.ctx.checkCancelled();
            int points = 0;
            for (int step = 0; step < ev.numSteps; step++) {
                ev.ctx.checkCancelled();
                long t = ev.stepTime(step);
                long ref = (r.at != Long.MIN_VALUE ? r.at : t) - r.offset;
                int count = src.advance(ref - r.rangeMs, ref, w);
                if (count == 0) {
                    // Short-lived series (one session) cover few of many steps: jump to the step whose window
                    // reaches the next sample instead of sliding an empty window step by step.
                    long next = src.nextSampleTime();
                    if (next == Long.MAX_VALUE || r.at != Long.MIN_VALUE) break;
                    int jump = firstStepReaching(ev, next + r.offset);
                    if (jump > step + 1) step = jump - 1;
                    continue;
                }
                ev.ctx.addSamples(count); // the window is in memory while the function runs
                ev.ctx.releaseSamples(count);
                w.rangeStartMs = ref - r.rangeMs;
                w.rangeEndMs = ref;
                w.evalTs = t;
                for (int a = 0; a < scalars.size() && a < w.args.length; a++) w.args[a] = scalars.get(a)[step];
                boolean ok;
                try {
                    ok = fn.apply(w, result);
                } catch (IllegalArgumentException e) {
                    throw PromQLException.execution(e.getMessage());
                }
                if (ok) {
                    if (points == pointTs.length) {
                        pointTs = Arrays.copyOf(pointTs, Math.min(ev.numSteps, points * 2));
                        pointVs = Arrays.copyOf(pointVs, pointTs.length);
                    }
                    pointTs[points] = t;
                    pointVs[points] = result[0];
                    points++;
                }
            }
            if (points > 0) {
                ev.ctx.addSamples(points);
                Labels inLabels = src.labels();
                sink.accept(inLabels, pointTs, pointVs, points);
                String metric = inLabels.metricName();
                if (counterCheck && metric != null && !metric.endsWith("_total") && !metric.endsWith("_sum")
                        && !metric.endsWith("_count") && !metric.endsWith("_bucket")) {
                    ev.ctx.info("PromQL info: metric might not be a counter, name does not end in "
                            + "_total/_sum/_count/_bucket: \"" + metric + "\"", call.args().get(matrixArg).pos());
                }
            }
        }
        if (name.equals("quantile_over_time") && !scalars.isEmpty()) {
            for (double q : scalars.get(0)) {
                if (Double.isNaN(q) || q < 0 || q > 1) {
                    ev.ctx.warn("PromQL warning: quantile value should be between 0 and 1, got " + Calls.formatG(q),
                            call.args().get(0).pos());
                    break;
                }
            }
        }
    }

    /** The window of a range argument: its length, offset and {@code @} time (Long.MIN_VALUE when none). */
    private record Range(long rangeMs, long offset, long at) {}

    private static Range range(Evaluator ev, Expr arg) {
        if (arg instanceof MatrixSelector ms) {
            return new Range(ms.rangeMs(), ms.selector().offsetMs(), ev.atTime(ms.selector().at()));
        }
        SubqueryExpr sq = (SubqueryExpr) arg;
        return new Range(sq.rangeMs(), sq.offsetMs(), ev.atTime(sq.at()));
    }

    /** The input series of a range argument, read from storage (lazily, one at a time) or from a subquery. */
    private static Iterator<Source> sources(Evaluator ev, Expr arg, String func) {
        if (arg instanceof MatrixSelector ms) return storageSources(ev, ms, func);
        List<Source> out = new ArrayList<>();
        for (StepSeries s : ev.runSubquery((SubqueryExpr) arg)) out.add(arraySource(s));
        return out.iterator();
    }

    /** The first step whose time is at or after t (numSteps when none). */
    private static int firstStepReaching(Evaluator ev, long t) {
        if (t <= ev.start) return 0;
        long steps = (t - ev.start + ev.interval - 1) / ev.interval;
        return steps >= ev.numSteps ? ev.numSteps : (int) steps;
    }

    /** 1 at the steps where no input series has a sample in the window, with labels from equality matchers. */
    private static List<StepSeries> absentOverTime(Evaluator ev, Call call, Expr arg) {
        Range r = range(ev, arg);
        long rangeMs = r.rangeMs, offset = r.offset, at = r.at;
        Iterator<Source> sources = sources(ev, arg, call.function().name());
        boolean[] present = new boolean[ev.numSteps];
        RangeWindow w = new RangeWindow();
        while (sources.hasNext()) {
            Source src = sources.next();
            for (int step = 0; step < ev.numSteps; step++) {
                ev.ctx.checkCancelled();
                long ref = (at != Long.MIN_VALUE ? at : ev.stepTime(step)) - offset;
                if (src.advance(ref - rangeMs, ref, w) > 0) present[step] = true;
            }
        }
        StepSeries s = new StepSeries(Calls.absentLabels(call.args().get(0)), Math.min(ev.numSteps, 64));
        for (int step = 0; step < ev.numSteps; step++) if (!present[step]) s.add(ev.stepTime(step), 1);
        List<StepSeries> out = new ArrayList<>(1);
        if (s.n > 0) out.add(s);
        return out;
    }

    /**
     * The selector's series one at a time, sharing one iterator and one window buffer: a series is garbage once the
     * next is taken, so a selection of hundreds of thousands of series is never held here as a whole.
     */
    private static Iterator<Source> storageSources(Evaluator ev, MatrixSelector ms, String func) {
        VectorSelector vs = ms.selector();
        long at = ev.atTime(vs.at());
        long firstRef = (at != Long.MIN_VALUE ? at : ev.start) - vs.offsetMs();
        long lastRef = (at != Long.MIN_VALUE ? at : ev.end) - vs.offsetMs();
        SeriesSet set = Selectors.select(ev, vs, firstRef - ms.rangeMs() + 1, lastRef, func, ms.rangeMs());
        SlidingWindow window = new SlidingWindow();
        return new Iterator<>() {
            private Boolean more;
            private Series series;
            private SampleIterator reuse;

            private final Source source = new Source() {
                @Override public Labels labels() { return series.labels(); }

                @Override public int advance(long lo, long ref, RangeWindow w) { return window.advance(lo, ref, w); }

                @Override public long nextSampleTime() { return window.nextSampleTime(); }
            };

            @Override public boolean hasNext() {
                if (more == null) more = set.next();
                return more;
            }

            @Override public Source next() {
                if (!hasNext()) throw new java.util.NoSuchElementException();
                more = null;
                series = set.at();
                reuse = series.iterator(reuse);
                window.reset(reuse);
                return source;
            }
        };
    }

    private static Source arraySource(StepSeries s) {
        return new Source() {
            int head;
            int tail;

            @Override public Labels labels() { return s.labels; }

            @Override public int advance(long lo, long ref, RangeWindow w) {
                while (head < s.n && s.ts[head] <= lo) head++;
                if (tail < head) tail = head;
                while (tail < s.n && s.ts[tail] <= ref) tail++;
                w.ts = s.ts;
                w.drops = null;
                w.vs = s.vs;
                w.from = head;
                w.to = tail;
                return tail - head;
            }

            @Override public long nextSampleTime() { return tail < s.n ? s.ts[tail] : Long.MAX_VALUE; }
        };
    }
}
