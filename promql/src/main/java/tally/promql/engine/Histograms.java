package tally.promql.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tally.model.Labels;
import tally.promql.ast.Expr;
import tally.promql.functions.BucketQuantile;
import tally.promql.functions.GoMath;

/**
 * {@code histogram_quantile} and {@code histogram_fraction} over classic histograms: series are grouped by
 * their labels without {@code le}; each group's buckets at a step form one histogram.
 */
final class Histograms {
    private Histograms() {}

    /** Per input series: its bucket bound (NaN when {@code le} is bad) and its histogram group. */
    private static final class Grouping {
        final double[] bound;
        final int[] group;
        final List<Labels> groupLabels = new ArrayList<>();
        /** Per group: the metric name of its first bucket series, for annotations. */
        final List<String> metricNames = new ArrayList<>();

        Grouping(Evaluator ev, List<StepSeries> in, Expr bucketsArg) {
            bound = new double[in.size()];
            group = new int[in.size()];
            Map<Labels, Integer> ids = new HashMap<>();
            for (int i = 0; i < in.size(); i++) {
                Labels l = in.get(i).labels;
                Double le = GoMath.parseFloat(l.get("le"));
                if (le == null) {
                    bound[i] = Double.NaN;
                    group[i] = -1;
                    ev.ctx.warn("PromQL warning: bucket label \"le\" is missing or has a malformed value of \""
                            + l.getOrEmpty("le") + "\" for metric name \"" + l.getOrEmpty(Labels.METRIC_NAME) + "\"",
                            bucketsArg.pos());
                    continue;
                }
                bound[i] = le;
                Labels key = l.toBuilder().remove("le").build();
                Integer id = ids.get(key);
                if (id == null) {
                    id = groupLabels.size();
                    ids.put(key, id);
                    groupLabels.add(key.withoutMetricName());
                    metricNames.add(l.getOrEmpty(Labels.METRIC_NAME));
                }
                group[i] = id;
            }
        }
    }

    interface Reducer {
        double apply(int step, int group, double[] bounds, double[] counts, int n);
    }

    static List<StepSeries> quantile(Evaluator ev, List<Expr> args) {
        double[] q = ev.evalScalar(args.get(0));
        List<StepSeries> in = ev.evalSeries(args.get(1));
        boolean[] forced = new boolean[1];
        Expr bucketsArg = args.get(1);
        Grouping grouping = new Grouping(ev, in, bucketsArg);
        List<StepSeries> out = reduce(ev, in, grouping, (step, g, bounds, counts, n) -> {
            forced[0] = false;
            double r = BucketQuantile.quantile(q[step], bounds, counts, n, forced);
            if (forced[0]) {
                ev.ctx.info("PromQL info: input to histogram_quantile needed to be fixed for monotonicity "
                        + "(see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) "
                        + "for metric name \"" + grouping.metricNames.get(g) + "\"", bucketsArg.pos());
            }
            return r;
        });
        // Prometheus checks the parameter at every step, with or without input series.
        for (double v : q) {
            if (Double.isNaN(v) || v < 0 || v > 1) {
                ev.ctx.warn("PromQL warning: quantile value should be between 0 and 1, got " + Calls.formatG(v),
                        args.get(0).pos());
                break;
            }
        }
        return out;
    }

    static List<StepSeries> fraction(Evaluator ev, List<Expr> args) {
        double[] lower = ev.evalScalar(args.get(0));
        double[] upper = ev.evalScalar(args.get(1));
        List<StepSeries> in = ev.evalSeries(args.get(2));
        Grouping grouping = new Grouping(ev, in, args.get(2));
        return reduce(ev, in, grouping,
                (step, g, bounds, counts, n) -> BucketQuantile.fraction(lower[step], upper[step], bounds, counts, n));
    }

    private static List<StepSeries> reduce(Evaluator ev, List<StepSeries> in, Grouping grouping, Reducer reducer) {
        int groups = grouping.groupLabels.size();
        int[] sizes = new int[groups];
        double[][] bounds = new double[groups][];
        double[][] counts = new double[groups][];
        for (int i = 0; i < in.size(); i++) if (grouping.group[i] >= 0) sizes[grouping.group[i]]++;
        for (int g = 0; g < groups; g++) {
            bounds[g] = new double[sizes[g]];
            counts[g] = new double[sizes[g]];
        }
        int[] fill = new int[groups];
        int[] order = new int[groups];
        StepGather gather = new StepGather(in);
        StepCollector out = new StepCollector(ev.ctx, ev.numSteps);
        for (int step = 0; step < ev.numSteps; step++) {
            ev.ctx.checkCancelled();
            long t = ev.stepTime(step);
            gather.gather(t);
            java.util.Arrays.fill(fill, 0);
            int seen = 0;
            for (int k = 0; k < gather.count; k++) {
                int si = gather.idx[k];
                int g = grouping.group[si];
                if (g < 0) continue;
                if (fill[g] == 0) order[seen++] = g;
                bounds[g][fill[g]] = grouping.bound[si];
                counts[g][fill[g]] = gather.val[k];
                fill[g]++;
            }
            for (int k = 0; k < seen; k++) {
                int g = order[k];
                out.add(grouping.groupLabels.get(g), t, reducer.apply(step, g, bounds[g], counts[g], fill[g]));
            }
        }
        return out.result();
    }
}
