package tally.promql.engine;

import java.util.ArrayList;
import java.util.Arrays;
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
 *
 * <p>Inputs arrive one series at a time ({@link #add}), so a caller may fold series in as they are computed
 * ({@link RangeAggregation}) with groups numbered as they appear: the cells grow with the groups.
 */
final class SeriesMajorReduce {
    /** Accumulator cells above which the step-by-step reduction is used instead (memory bound). */
    static final long MAX_CELLS = 1 << 20;

    private final Evaluator ev;
    private final AggregateOp op;
    private final int steps;
    private final boolean kahan, withMean;
    private int groupCapacity;
    private double[] value;
    private double[] count;  // 0: no input yet
    private double[] comp;
    private double[] mean;
    private boolean[] incremental;
    private int[] firstStep;
    private int[] firstInput;
    private final double[] c = new double[1];

    SeriesMajorReduce(Evaluator ev, AggregateOp op, int groups) {
        this.ev = ev;
        this.op = op;
        this.steps = ev.numSteps;
        this.kahan = op == AggregateOp.SUM || op == AggregateOp.AVG;
        this.withMean = op == AggregateOp.AVG || op == AggregateOp.STDDEV || op == AggregateOp.STDVAR;
        value = new double[0];
        count = new double[0];
        firstStep = new int[0];
        firstInput = new int[0];
        if (kahan) comp = new double[0];
        if (withMean) mean = new double[0];
        if (op == AggregateOp.AVG) incremental = new boolean[0];
        ensureGroups(groups);
    }

    static boolean applies(AggregateOp op, int groups, int numSteps) {
        return supports(op) && (long) groups * numSteps <= MAX_CELLS;
    }

    static boolean supports(AggregateOp op) {
        return switch (op) {
            case SUM, AVG, COUNT, MIN, MAX, GROUP, STDDEV, STDVAR -> true;
            default -> false;
        };
    }

    static List<StepSeries> reduce(Evaluator ev, AggregateOp op, List<StepSeries> in, int[] group, List<Labels> groupLabels) {
        SeriesMajorReduce r = new SeriesMajorReduce(ev, op, groupLabels.size());
        for (int i = 0; i < in.size(); i++) {
            ev.ctx.checkCancelled();
            StepSeries s = in.get(i);
            r.add(group[i], i, s.ts, s.vs, s.n);
        }
        return r.result(groupLabels);
    }

    /** Makes room for groups [0, groups); false (and nothing grown) when that would pass {@link #MAX_CELLS}. */
    boolean ensureGroups(int groups) {
        if (groups <= groupCapacity) return true;
        if ((long) groups * steps > MAX_CELLS) return false;
        int cap = (int) Math.min(Math.max(groups, (long) groupCapacity * 2), MAX_CELLS / Math.max(1, steps));
        int cells = cap * steps;
        value = Arrays.copyOf(value, cells);
        count = Arrays.copyOf(count, cells);
        if (kahan) comp = Arrays.copyOf(comp, cells);
        if (withMean) mean = Arrays.copyOf(mean, cells);
        if (incremental != null) incremental = Arrays.copyOf(incremental, cells);
        firstStep = Arrays.copyOf(firstStep, cap);
        Arrays.fill(firstStep, groupCapacity, cap, Integer.MAX_VALUE);
        firstInput = Arrays.copyOf(firstInput, cap);
        groupCapacity = cap;
        return true;
    }

    /** Folds input series number {@code input} (its points on the steps) into group g, which must have room. */
    void add(int g, int input, long[] ts, double[] vs, int n) {
        int base = g * steps;
        for (int p = 0; p < n; p++) {
            long t = ts[p];
            if (t < ev.start || t > ev.end) continue;
            int step = ev.stepIndex(t);
            if (ev.stepTime(step) != t) continue; // off the grid: the step-wise gather skips it too
            double f = vs[p];
            int cell = base + step;
            if (count[cell] == 0) {
                if (step < firstStep[g]) {
                    firstStep[g] = step;
                    firstInput[g] = input;
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
                case AVG -> avg(cell, f);
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

    /** One series per group with a value, labelled from groupLabels (indexed by group). */
    List<StepSeries> result(List<Labels> groupLabels) {
        List<StepSeries> out = new ArrayList<>();
        long points = 0;
        for (int g : outputOrder(groupLabels.size())) {
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
    private void avg(int cell, double f) {
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
     * of the step-wise path). The keys are distinct (an input belongs to one group), so each group finds its place
     * by binary search in the sorted keys.
     */
    private int[] outputOrder(int groups) {
        int n = 0;
        for (int g = 0; g < groups; g++) if (firstStep[g] != Integer.MAX_VALUE) n++;
        long[] keys = new long[n];
        int k = 0;
        for (int g = 0; g < groups; g++) if (firstStep[g] != Integer.MAX_VALUE) keys[k++] = key(g);
        Arrays.sort(keys);
        int[] order = new int[n];
        for (int g = 0; g < groups; g++) if (firstStep[g] != Integer.MAX_VALUE) order[Arrays.binarySearch(keys, key(g))] = g;
        return order;
    }

    private long key(int g) {
        return ((long) firstStep[g] << 32) | firstInput[g];
    }
}
