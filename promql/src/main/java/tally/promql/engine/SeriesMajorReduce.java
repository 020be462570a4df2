package tally.promql.engine;

import java.util.ArrayList;
import java.util.List;
import tally.model.Labels;
import tally.promql.ast.AggregateOp;
import tally.promql.functions.KahanSum;

/**
 * Aggregation (sum, avg, count, min, max, group, stddev, stdvar) that walks each input series once and
 * updates one accumulator per (group, step), instead of gathering every series at every step. Each
 * accumulator still receives its inputs in input order, so results are bit-identical to the step-by-step
 * reduction, and output series come in the same order (by the step a group first has a value, then by the
 * first input series that gave it one). Used when groups x steps is small enough to hold.
 */
final class SeriesMajorReduce {
    /** Accumulator cells above which the step-by-step reduction is used instead (memory bound). */
    static final long MAX_CELLS = 1 << 20;

    private SeriesMajorReduce() {}

    static boolean applies(AggregateOp op, int groups, int numSteps) {
        return switch (op) {
            case SUM, AVG, COUNT, MIN, MAX, GROUP, STDDEV, STDVAR -> (long) groups * numSteps <= MAX_CELLS;
            default -> false;
        };
    }

    static List<StepSeries> reduce(Evaluator ev, AggregateOp op, List<StepSeries> in, int[] group, List<Labels> groupLabels) {
        int groups = groupLabels.size();
        int steps = ev.numSteps;
        int cells = groups * steps;
        double[] value = new double[cells];
        double[] count = new double[cells];  // 0: no input yet
        boolean kahan = op == AggregateOp.SUM || op == AggregateOp.AVG;
        boolean withMean = op == AggregateOp.AVG || op == AggregateOp.STDDEV || op == AggregateOp.STDVAR;
        double[] comp = kahan ? new double[cells] : null;
        double[] mean = withMean ? new double[cells] : null;
        boolean[] incremental = op == AggregateOp.AVG ? new boolean[cells] : null;
        int[] firstStep = new int[groups];
        int[] firstInput = new int[groups];
        java.util.Arrays.fill(firstStep, Integer.MAX_VALUE);
        double[] c = new double[1];
        for (int i = 0; i < in.size(); i++) {
            ev.ctx.checkCancelled();
            StepSeries s = in.get(i);
            int g = group[i];
            int base = g * steps;
            for (int p = 0; p < s.n; p++) {
                long t = s.ts[p];
                if (t < ev.start || t > ev.end) continue;
                int step = ev.stepIndex(t);
                if (ev.stepTime(step) != t) continue; // off the grid: the step-wise gather skips it too
                double f = s.vs[p];
                int cell = base + step;
                if (count[cell] == 0) {
                    if (step < firstStep[g]) {
                        firstStep[g] = step;
                        firstInput[g] = i;
                    }
                    count[cell] = 1;
                    value[cell] = f;
                    if (withMean) mean[cell] = f;
                    switch (op) {
                        case STDDEV, STDVAR -> value[cell] = Double.isNaN(f) || Double.isInfinite(f) ? Double.NaN : 0;
                        case GROUP -> value[cell] = 1;
                        default -> { }
                    }
                    continue;
                }
                switch (op) {
                    case SUM -> {
                        c[0] = comp[cell];
                        value[cell] = KahanSum.add(f, value[cell], c);
                        comp[cell] = c[0];
                    }
                    case AVG -> avg(cell, f, value, comp, mean, count, incremental, c);
                    case MAX -> {
                        if (value[cell] < f || Double.isNaN(value[cell])) value[cell] = f;
                    }
                    case MIN -> {
                        if (value[cell] > f || Double.isNaN(value[cell])) value[cell] = f;
                    }
                    case COUNT -> count[cell]++;
                    case STDDEV, STDVAR -> {
                        count[cell]++;
                        double delta = f - mean[cell];
                        mean[cell] += delta / count[cell];
                        value[cell] += delta * (f - mean[cell]);
                    }
                    case GROUP -> { }
                    default -> throw new IllegalStateException("unexpected aggregation " + op);
                }
            }
        }
        List<StepSeries> out = new ArrayList<>();
        long points = 0;
        for (int g : outputOrder(firstStep, firstInput, group)) {
            int base = g * steps;
            int n = 0;
            for (int step = firstStep[g]; step < steps; step++) if (count[base + step] > 0) n++;
            StepSeries s = new StepSeries(groupLabels.get(g), n);
            for (int step = firstStep[g]; step < steps; step++) {
                int cell = base + step;
                if (count[cell] == 0) continue;
                double v = switch (op) {
                    case SUM -> Double.isInfinite(value[cell]) ? value[cell] : value[cell] + comp[cell];
                    case AVG -> incremental[cell] ? mean[cell] + comp[cell]
                            : value[cell] / count[cell] + comp[cell] / count[cell];
                    case COUNT -> count[cell];
                    case STDVAR -> value[cell] / count[cell];
                    case STDDEV -> Math.sqrt(value[cell] / count[cell]);
                    default -> value[cell];
                };
                s.add(ev.stepTime(step), v);
            }
            points += n;
            out.add(s);
        }
        ev.ctx.addSamples(points);
        return out;
    }

    /** The avg update of the step-wise reduction: a Kahan sum, switching to an incremental mean on overflow. */
    private static void avg(int cell, double f, double[] value, double[] comp, double[] mean, double[] count,
                            boolean[] incremental, double[] c) {
        count[cell]++;
        if (!incremental[cell]) {
            c[0] = comp[cell];
            double newV = KahanSum.add(f, value[cell], c);
            if (!Double.isInfinite(newV)) {
                value[cell] = newV;
                comp[cell] = c[0];
                return;
            }
            incremental[cell] = true;
            mean[cell] = value[cell] / (count[cell] - 1);
            comp[cell] /= count[cell] - 1;
        }
        double q = (count[cell] - 1) / count[cell];
        c[0] = q * comp[cell];
        mean[cell] = KahanSum.add(f / count[cell], q * mean[cell], c);
        comp[cell] = c[0];
    }

    /**
     * Groups that have a value, by first step with a value, then by the input that gave it (the insertion order
     * of the step-wise path). An input belongs to one group, so (step, input) identifies the group.
     */
    private static int[] outputOrder(int[] firstStep, int[] firstInput, int[] group) {
        int n = 0;
        for (int s : firstStep) if (s != Integer.MAX_VALUE) n++;
        long[] keys = new long[n];
        int k = 0;
        for (int g = 0; g < firstStep.length; g++) {
            if (firstStep[g] != Integer.MAX_VALUE) keys[k++] = ((long) firstStep[g] << 32) | firstInput[g];
        }
        java.util.Arrays.sort(keys);
        int[] order = new int[n];
        for (int j = 0; j < n; j++) order[j] = group[(int) keys[j]];
        return order;
    }
}
