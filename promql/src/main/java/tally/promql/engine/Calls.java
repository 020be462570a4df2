package tally.promql.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import tally.model.Labels;
import tally.model.LabelsBuilder;
import tally.model.MatchType;
import tally.model.Matcher;
import tally.promql.ast.Call;
import tally.promql.ast.Expr;
import tally.promql.ast.MatrixSelector;
import tally.promql.ast.ParenExpr;
import tally.promql.ast.StepInvariantExpr;
import tally.promql.ast.SubqueryExpr;
import tally.promql.ast.VectorSelector;
import tally.promql.functions.DateFunctions;
import tally.promql.functions.GoMath;
import tally.promql.functions.LabelFunctions;
import tally.promql.functions.MathFunctions;

/** Function calls: dispatches by name to the implementations in {@code tally.promql.functions}. */
final class Calls {
    private Calls() {}

    static Expr unwrap(Expr e) {
        while (true) {
            if (e instanceof ParenExpr p) e = p.expr();
            else if (e instanceof StepInvariantExpr s) e = s.expr();
            else return e;
        }
    }

    static Object eval(Evaluator ev, Call c) {
        String name = c.function().name();
        List<Expr> args = c.args();
        if (name.equals("timestamp") && unwrap(args.get(0)) instanceof VectorSelector vs) {
            // the sample's own timestamp, not the evaluation step's
            return Selectors.instantVector(ev, vs, true);
        }
        for (int i = 0; i < args.size(); i++) {
            Expr a = unwrap(args.get(i));
            if (a instanceof MatrixSelector || a instanceof SubqueryExpr) return RangeCalls.eval(ev, c, i, a);
        }
        DoubleUnaryOperator math = MathFunctions.lookup(name);
        if (math != null) return mapValues(ev, ev.evalSeries(args.get(0)), (v, step) -> math.applyAsDouble(v), null);
        if (DateFunctions.isDateFunction(name)) return dateFunction(ev, name, args);
        switch (name) {
            case "time": {
                List<StepSeries> out = ev.constant(0);
                StepSeries s = out.get(0);
                for (int i = 0; i < s.n; i++) s.vs[i] = s.ts[i] / 1000.0;
                return out;
            }
            case "pi":
                return ev.constant(Math.PI);
            case "vector":
                return ev.evalSeries(args.get(0)); // a scalar already is one label-less series
            case "scalar":
                return scalar(ev, ev.evalSeries(args.get(0)));
            case "absent":
                return absent(ev, ev.evalSeries(args.get(0)), absentLabels(args.get(0)));
            case "timestamp":
                return mapValues(ev, ev.evalSeries(args.get(0)), null, null, true);
            case "round": {
                double[] to = args.size() > 1 ? ev.evalScalar(args.get(1)) : null;
                List<StepSeries> in = ev.evalSeries(args.get(0));
                return mapValues(ev, in, (v, step) -> MathFunctions.round(v, to == null ? 1 : to[step]), null);
            }
            case "clamp": {
                List<StepSeries> in = ev.evalSeries(args.get(0));
                double[] min = ev.evalScalar(args.get(1));
                double[] max = ev.evalScalar(args.get(2));
                return mapValues(ev, in, (v, step) -> MathFunctions.clamp(v, min[step], max[step]),
                        step -> !(max[step] < min[step]));
            }
            case "clamp_min": {
                List<StepSeries> in = ev.evalSeries(args.get(0));
                double[] min = ev.evalScalar(args.get(1));
                return mapValues(ev, in, (v, step) -> MathFunctions.clamp(v, min[step], Double.POSITIVE_INFINITY), null);
            }
            case "clamp_max": {
                List<StepSeries> in = ev.evalSeries(args.get(0));
                double[] max = ev.evalScalar(args.get(1));
                return mapValues(ev, in, (v, step) -> MathFunctions.clamp(v, Double.NEGATIVE_INFINITY, max[step]), null);
            }
            case "label_replace":
                return labelReplace(ev, args);
            case "label_join":
                return labelJoin(ev, args);
            case "sort":
            case "sort_desc":
            case "sort_by_label":
            case "sort_by_label_desc":
                return sort(ev, c, name, args);
            case "histogram_quantile":
                return Histograms.quantile(ev, args);
            case "histogram_fraction":
                return Histograms.fraction(ev, args);
            case "histogram_count":
            case "histogram_sum":
            case "histogram_avg":
            case "histogram_stddev":
            case "histogram_stdvar":
                // these read native histograms only; float samples (all Tally stores) yield nothing
                ev.evalSeries(args.get(0));
                return new ArrayList<StepSeries>();
            default:
                throw PromQLException.badData("function \"" + name + "\" is not supported");
        }
    }

    interface StepOp {
        double apply(double v, int step);
    }

    interface StepFilter {
        boolean keep(int step);
    }

    static List<StepSeries> mapValues(Evaluator ev, List<StepSeries> in, StepOp op, StepFilter filter) {
        return mapValues(ev, in, op, filter, false);
    }

    /** Element-wise function: rewrites values in place, drops the metric name, merges resulting duplicates. */
    static List<StepSeries> mapValues(Evaluator ev, List<StepSeries> in, StepOp op, StepFilter filter,
                                      boolean timestampOfPoint) {
        List<StepSeries> out = new ArrayList<>(in.size());
        for (StepSeries s : in) {
            int k = 0;
            for (int i = 0; i < s.n; i++) {
                int step = ev.stepIndex(s.ts[i]);
                if (filter != null && !filter.keep(step)) continue;
                double v = timestampOfPoint ? s.ts[i] / 1000.0 : op.apply(s.vs[i], step);
                s.ts[k] = s.ts[i];
                s.vs[k] = v;
                k++;
            }
            s.n = k;
            s.labels = s.labels.withoutMetricName();
            if (k > 0) out.add(s);
        }
        return SeriesMerger.mergeSameLabels(out);
    }

    private static List<StepSeries> dateFunction(Evaluator ev, String name, List<Expr> args) {
        if (args.isEmpty()) {
            List<StepSeries> out = ev.constant(0);
            StepSeries s = out.get(0);
            for (int i = 0; i < s.n; i++) s.vs[i] = DateFunctions.apply(name, s.ts[i] / 1000);
            return out;
        }
        return mapValues(ev, ev.evalSeries(args.get(0)), (v, step) -> DateFunctions.apply(name, v), null);
    }

    private static List<StepSeries> scalar(Evaluator ev, List<StepSeries> in) {
        StepGather g = new StepGather(in);
        List<StepSeries> out = ev.constant(Double.NaN);
        StepSeries s = out.get(0);
        for (int step = 0; step < ev.numSteps; step++) {
            g.gather(ev.stepTime(step));
            s.vs[step] = g.count == 1 ? g.val[0] : Double.NaN;
        }
        return out;
    }

    private static List<StepSeries> absent(Evaluator ev, List<StepSeries> in, Labels labels) {
        boolean[] present = new boolean[ev.numSteps];
        for (StepSeries s : in) for (int i = 0; i < s.n; i++) present[ev.stepIndex(s.ts[i])] = true;
        StepSeries s = new StepSeries(labels, Math.min(ev.numSteps, 64));
        for (int step = 0; step < ev.numSteps; step++) if (!present[step]) s.add(ev.stepTime(step), 1);
        List<StepSeries> out = new ArrayList<>(1);
        if (s.n > 0) out.add(s);
        return out;
    }

    /** Labels of {@code absent(selector)}: each label matched exactly once with "=", name excluded. */
    static Labels absentLabels(Expr arg) {
        Expr e = unwrap(arg);
        List<Matcher> matchers;
        if (e instanceof VectorSelector vs) matchers = vs.matchers();
        else if (e instanceof MatrixSelector ms) matchers = ms.selector().matchers();
        else return Labels.EMPTY;
        LabelsBuilder b = new LabelsBuilder();
        Map<String, Boolean> has = new HashMap<>();
        for (Matcher m : matchers) {
            if (m.name().equals(Labels.METRIC_NAME)) continue;
            if (m.type() == MatchType.EQUAL && !has.containsKey(m.name())) {
                b.set(m.name(), m.value());
                has.put(m.name(), true);
            } else {
                b.remove(m.name());
            }
        }
        return b.build();
    }

    private static List<StepSeries> labelReplace(Evaluator ev, List<Expr> args) {
        LabelFunctions.Replace r;
        try {
            r = new LabelFunctions.Replace(ev.evalString(args.get(1)), ev.evalString(args.get(2)),
                    ev.evalString(args.get(3)), ev.evalString(args.get(4)));
        } catch (IllegalArgumentException e) {
            throw PromQLException.execution(e.getMessage());
        }
        List<StepSeries> in = ev.evalSeries(args.get(0));
        for (StepSeries s : in) s.labels = r.apply(s.labels);
        return SeriesMerger.mergeSameLabels(in);
    }

    private static List<StepSeries> labelJoin(Evaluator ev, List<Expr> args) {
        String dst = ev.evalString(args.get(1));
        String sep = ev.evalString(args.get(2));
        List<String> src = new ArrayList<>();
        for (int i = 3; i < args.size(); i++) src.add(ev.evalString(args.get(i)));
        if (!LabelFunctions.validLabelName(dst)) {
            throw PromQLException.execution("invalid destination label name in label_join(): " + dst);
        }
        for (String s : src) {
            if (!LabelFunctions.validLabelName(s)) throw PromQLException.execution("invalid source label name in label_join(): " + s);
        }
        List<StepSeries> in = ev.evalSeries(args.get(0));
        for (StepSeries s : in) s.labels = LabelFunctions.join(s.labels, dst, sep, src);
        return SeriesMerger.mergeSameLabels(in);
    }

    /** Only an instant query's output has an order; in range queries sorting does nothing. */
    private static List<StepSeries> sort(Evaluator ev, Call c, String name, List<Expr> args) {
        List<StepSeries> in = ev.evalSeries(args.get(0));
        if (!ev.isInstant()) {
            ev.ctx.warn("PromQL warning: sort is ineffective for range queries since results are always ordered by labels", c.pos());
            return in;
        }
        List<StepSeries> out = new ArrayList<>(in);
        switch (name) {
            case "sort" -> out.sort((a, b) -> compareNaNLast(a.vs[0], b.vs[0], false));
            case "sort_desc" -> out.sort((a, b) -> compareNaNLast(a.vs[0], b.vs[0], true));
            default -> {
                List<String> labels = new ArrayList<>();
                for (int i = 1; i < args.size(); i++) labels.add(ev.evalString(args.get(i)));
                Comparator<StepSeries> cmp = (a, b) -> {
                    for (String l : labels) {
                        String x = a.labels.getOrEmpty(l), y = b.labels.getOrEmpty(l);
                        if (x.equals(y)) continue;
                        return NaturalOrder.compare(x, y);
                    }
                    return a.labels.compareTo(b.labels);
                };
                out.sort(name.equals("sort_by_label") ? cmp : cmp.reversed());
            }
        }
        return out;
    }

    /** Ascending (or descending) by value with NaN always at the end, as Prometheus's sort functions. */
    static int compareNaNLast(double a, double b, boolean descending) {
        boolean an = Double.isNaN(a), bn = Double.isNaN(b);
        if (an || bn) return an == bn ? 0 : an ? 1 : -1;
        return descending ? Double.compare(b, a) : Double.compare(a, b);
    }

    /** Go's %g for the numbers in annotation messages. */
    static String formatG(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        if (v == Math.rint(v) && Math.abs(v) < 1e21) return Long.toString((long) v);
        return Double.toString(v);
    }

    static Double parseLe(String s) {
        return GoMath.parseFloat(s);
    }

}
