package tally.promql.engine;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tally.model.Labels;
import tally.model.LabelsBuilder;
import tally.promql.ast.AggregateExpr;
import tally.promql.ast.AggregateOp;
import tally.promql.ast.BinaryExpr;
import tally.promql.ast.Call;
import tally.promql.ast.Expr;
import tally.promql.ast.MatrixSelector;
import tally.promql.ast.VectorMatching;
import tally.promql.ast.VectorSelector;
import tally.promql.functions.KahanSum;
import tally.promql.functions.Quantiles;

/** Aggregation operators ({@code sum by (job) (...)} etc.), one pass over the steps with precomputed groups. */
final class Aggregations {
    private Aggregations() {}

    /** Grouping labels of a series: by keeps only the listed labels, without drops them and the name. */
    static Labels groupLabels(Labels l, AggregateExpr a) {
        if (a.without()) {
            List<String> drop = new ArrayList<>(a.grouping().size() + 1);
            drop.addAll(a.grouping());
            drop.add(Labels.METRIC_NAME);
            return l.drop(drop);
        }
        if (a.grouping().isEmpty()) return Labels.EMPTY;
        return l.keep(a.grouping());
    }

    static Object eval(Evaluator ev, AggregateExpr a) {
        AggregateOp op = a.op();
        if (op == AggregateOp.COUNT_VALUES) return countValues(ev, a, ev.evalString(a.param()));
        double[] param = a.param() != null ? ev.evalScalar(a.param()) : null;
        boolean inputOrderFree = orderInsensitive(op) && markInputOrderFree(ev.ctx, a.expr());
        Call fused = RangeAggregation.fusable(ev.ctx, a);
        if (fused != null) {
            List<StepSeries> out = RangeAggregation.eval(ev, a, fused);
            if (out != null) {
                if (inputOrderFree && !ev.ctx.isOrderFree(a)) out.sort((x, y) -> x.labels.compareTo(y.labels));
                return out;
            }
        }
        List<StepSeries> in = ev.evalSeries(a.expr());
        // group of each input series, and each group's output labels
        List<Labels> groupLabels = new ArrayList<>();
        int[] group = GroupIds.assign(in, a, groupLabels);
        if (op == AggregateOp.TOPK || op == AggregateOp.BOTTOMK || op == AggregateOp.LIMITK || op == AggregateOp.LIMIT_RATIO) {
            return selectK(ev, a, in, group, groupLabels.size(), param);
        }
        List<StepSeries> out = SeriesMajorReduce.applies(op, groupLabels.size(), ev.numSteps)
                ? SeriesMajorReduce.reduce(ev, op, in, group, groupLabels)
                : reduce(ev, a, in, group, groupLabels, param);
        // input in storage order: give the groups one order that does not depend on it (unless nobody looks)
        if (inputOrderFree && !ev.ctx.isOrderFree(a)) out.sort((x, y) -> x.labels.compareTo(y.labels));
        return out;
    }

    /** Operators whose groups and values do not depend on the order of their input series (up to float rounding). */
    private static boolean orderInsensitive(AggregateOp op) {
        return switch (op) {
            case SUM, AVG, COUNT, MIN, MAX, GROUP, STDDEV, STDVAR -> true;
            default -> false;
        };
    }

    /**
     * Marks the node producing this aggregation's input as order-free when it passes series through one by
     * one: a selector, a range function over a matrix selector, or another such aggregation (which then skips
     * sorting its own groups); through set operations and unique one-to-one matches, the nodes below them.
     * Returns whether something was marked.
     */
    static boolean markInputOrderFree(QueryContext ctx, Expr input) {
        Expr e = Calls.unwrap(input);
        if (e instanceof VectorSelector vs) {
            ctx.markOrderFree(vs);
            return true;
        }
        if (e instanceof AggregateExpr inner && orderInsensitive(inner.op())) {
            ctx.markOrderFree(inner);
            return true;
        }
        if (e instanceof Call c) {
            for (Expr arg : c.args()) {
                if (Calls.unwrap(arg) instanceof MatrixSelector ms) {
                    ctx.markOrderFree(ms.selector());
                    return true;
                }
            }
        }
        // a set operation (and, or, unless) keeps or drops each series by whether its signature is on the other
        // side: which series come out depends on neither side's order, so each side may be order-free in turn
        // (the dashboards' exact totals: (last_over_time(x[R]) - last_over_time(x[7d] offset R)) or last_over_time(x[R]))
        if (e instanceof BinaryExpr b && b.op().isSetOperator()) {
            boolean l = markInputOrderFree(ctx, b.lhs());
            boolean r = markInputOrderFree(ctx, b.rhs());
            return l || r;
        }
        // a one-to-one operation between two sides whose match signatures are unique by construction: it
        // pairs the same series in any order and cannot fail on duplicates, so neither side needs an order
        if (e instanceof BinaryExpr b && b.matching() != null && !b.op().isSetOperator()
                && b.matching().card() == VectorMatching.Cardinality.ONE_TO_ONE && !b.matching().on()
                && b.matching().matchingLabels().isEmpty()) {
            VectorSelector l = uniqueSignatureSource(b.lhs()), r = uniqueSignatureSource(b.rhs());
            if (l != null && r != null) {
                ctx.markOrderFree(l);
                ctx.markOrderFree(r);
                return true;
            }
        }
        return false;
    }

    /**
     * The selector behind a selector of one metric name, or behind a range function over one: its series,
     * without the name, still have distinct labels. Null for anything else.
     */
    private static VectorSelector uniqueSignatureSource(Expr input) {
        Expr e = Calls.unwrap(input);
        VectorSelector vs = null;
        if (e instanceof VectorSelector v) vs = v;
        if (e instanceof Call c) {
            for (Expr arg : c.args()) if (Calls.unwrap(arg) instanceof MatrixSelector ms) vs = ms.selector();
        }
        return vs != null && Selectors.namePinned(vs) ? vs : null;
    }

    /** Step by step: at each step gathers the present series and folds them into their groups. */
    static List<StepSeries> reduce(Evaluator ev, AggregateExpr a, List<StepSeries> in, int[] group,
                                           List<Labels> groupLabels, double[] param) {
        AggregateOp op = a.op();
        int groups = groupLabels.size();
        double[] value = new double[groups];
        double[] comp = new double[groups];   // Kahan compensation
        double[] mean = new double[groups];
        double[] count = new double[groups];
        boolean[] incremental = new boolean[groups];
        int[] seenStamp = new int[groups];
        int[] order = new int[groups];
        double[][] values = op == AggregateOp.QUANTILE ? new double[groups][] : null;
        int[] fill = op == AggregateOp.QUANTILE ? new int[groups] : null;
        double[] c = new double[1];
        if (op == AggregateOp.QUANTILE) {
            int[] sizes = new int[groups];
            for (int g : group) sizes[g]++;
            for (int g = 0; g < groups; g++) values[g] = new double[sizes[g]];
            warnQuantile(ev, param, a.param().pos());
        }
        StepGather gather = new StepGather(in);
        StepCollector out = new StepCollector(ev.ctx, ev.numSteps);
        for (int step = 0; step < ev.numSteps; step++) {
            ev.ctx.checkCancelled();
            long t = ev.stepTime(step);
            int stamp = step + 1;
            gather.gather(t);
            int seen = 0;
            for (int k = 0; k < gather.count; k++) {
                int g = group[gather.idx[k]];
                double f = gather.val[k];
                if (seenStamp[g] != stamp) {
                    seenStamp[g] = stamp;
                    order[seen++] = g;
                    value[g] = f;
                    mean[g] = f;
                    comp[g] = 0;
                    count[g] = 1;
                    incremental[g] = false;
                    switch (op) {
                        case STDDEV, STDVAR -> value[g] = Double.isNaN(f) || Double.isInfinite(f) ? Double.NaN : 0;
                        case GROUP -> value[g] = 1;
                        case QUANTILE -> {
                            fill[g] = 0;
                            values[g][fill[g]++] = f;
                        }
                        default -> { }
                    }
                    continue;
                }
                switch (op) {
                    case SUM -> {
                        c[0] = comp[g];
                        value[g] = KahanSum.add(f, value[g], c);
                        comp[g] = c[0];
                    }
                    case AVG -> {
                        count[g]++;
                        if (!incremental[g]) {
                            c[0] = comp[g];
                            double newV = KahanSum.add(f, value[g], c);
                            if (!Double.isInfinite(newV)) {
                                value[g] = newV;
                                comp[g] = c[0];
                                break;
                            }
                            // the sum would overflow: continue with an incremental mean
                            incremental[g] = true;
                            mean[g] = value[g] / (count[g] - 1);
                            comp[g] /= count[g] - 1;
                        }
                        double q = (count[g] - 1) / count[g];
                        c[0] = q * comp[g];
                        mean[g] = KahanSum.add(f / count[g], q * mean[g], c);
                        comp[g] = c[0];
                    }
                    case MAX -> {
                        if (value[g] < f || Double.isNaN(value[g])) value[g] = f;
                    }
                    case MIN -> {
                        if (value[g] > f || Double.isNaN(value[g])) value[g] = f;
                    }
                    case COUNT -> count[g]++;
                    case STDDEV, STDVAR -> {
                        count[g]++;
                        double delta = f - mean[g];
                        mean[g] += delta / count[g];
                        value[g] += delta * (f - mean[g]);
                    }
                    case QUANTILE -> values[g][fill[g]++] = f;
                    case GROUP -> { }
                    default -> throw new IllegalStateException("unexpected aggregation " + op);
                }
            }
            for (int k = 0; k < seen; k++) {
                int g = order[k];
                double v = switch (op) {
                    case SUM -> Double.isInfinite(value[g]) ? value[g] : value[g] + comp[g];
                    case AVG -> incremental[g] ? mean[g] + comp[g] : value[g] / count[g] + comp[g] / count[g];
                    case COUNT -> count[g];
                    case STDVAR -> value[g] / count[g];
                    case STDDEV -> Math.sqrt(value[g] / count[g]);
                    case QUANTILE -> Quantiles.quantile(param[step], values[g], fill[g]);
                    default -> value[g];
                };
                out.add(groupLabels.get(g), t, v);
            }
        }
        return out.result();
    }

    private static void warnQuantile(Evaluator ev, double[] param, tally.promql.ast.PositionRange pos) {
        for (double q : param) {
            if (Double.isNaN(q) || q < 0 || q > 1) {
                ev.ctx.warn("PromQL warning: quantile value should be between 0 and 1, got " + Calls.formatG(q), pos);
                return;
            }
        }
    }

    /** topk/bottomk/limitk/limit_ratio: keep whole input samples (labels included), k per group and step. */
    private static List<StepSeries> selectK(Evaluator ev, AggregateExpr a, List<StepSeries> in, int[] group,
                                            int groups, double[] param) {
        AggregateOp op = a.op();
        boolean ratio = op == AggregateOp.LIMIT_RATIO;
        double max = Double.NEGATIVE_INFINITY, min = Double.POSITIVE_INFINITY;
        for (double p : param) {
            if (Double.isNaN(p)) {
                throw PromQLException.execution(ratio ? "Ratio value is NaN" : "Parameter value is NaN");
            }
            max = Math.max(max, p);
            min = Math.min(min, p);
        }
        StepCollector out = new StepCollector(ev.ctx, ev.numSteps);
        if (!ratio && max < 1) return out.result();
        if (ratio && max == 0 && min == 0) return out.result();
        if (!ratio) {
            if (min <= -9.223372036854775808e18) throw PromQLException.execution("Scalar value " + Calls.formatG(min) + " underflows int64");
            if (max >= 9.223372036854775807e18) throw PromQLException.execution("Scalar value " + Calls.formatG(max) + " overflows int64");
        } else {
            if (max > 1) ev.ctx.warn("PromQL warning: ratio value should be between -1 and 1, got " + Calls.formatG(max) + ", capping to 1", a.param().pos());
            if (min < -1) ev.ctx.warn("PromQL warning: ratio value should be between -1 and 1, got " + Calls.formatG(min) + ", capping to -1", a.param().pos());
        }
        // members of each group present at a step, in input order
        int[][] members = new int[groups][];
        int[] sizes = new int[groups];
        for (int g : group) sizes[g]++;
        for (int g = 0; g < groups; g++) members[g] = new int[sizes[g]];
        int[] fill = new int[groups];
        int[] order = new int[groups];
        int[] seenStamp = new int[groups];
        double[] offsets = ratio ? ratioOffsets(in) : null;
        int[] chosen = new int[Math.min(in.size(), (int) Math.min(Math.max(max, 0), in.size()))];
        StepGather gather = new StepGather(in);
        for (int step = 0; step < ev.numSteps; step++) {
            ev.ctx.checkCancelled();
            long t = ev.stepTime(step);
            int stamp = step + 1;
            gather.gather(t);
            int seen = 0;
            for (int k = 0; k < gather.count; k++) {
                int g = group[gather.idx[k]];
                if (seenStamp[g] != stamp) {
                    seenStamp[g] = stamp;
                    fill[g] = 0;
                    order[seen++] = g;
                }
                members[g][fill[g]++] = k;
            }
            double p = param[step];
            long kParam = ratio ? 0 : Math.min((long) p, in.size());
            if (!ratio && kParam < 1) continue;
            double r = Math.max(-1, Math.min(1, p));
            if (ratio && p == 0) continue;
            for (int o = 0; o < seen; o++) {
                int g = order[o];
                int n = fill[g];
                int[] cand = members[g];
                int taken;
                if (op == AggregateOp.TOPK || op == AggregateOp.BOTTOMK) {
                    taken = best(cand, n, (int) Math.min(kParam, n), gather.val, op == AggregateOp.TOPK, chosen);
                    cand = chosen;
                } else {
                    taken = n;
                }
                int emitted = 0;
                for (int i = 0; i < taken; i++) {
                    int k = cand[i];
                    int si = gather.idx[k];
                    if (ratio) {
                        double off = offsets[si];
                        boolean in1 = r >= 0 ? off < r : off >= 1 + r;
                        if (!in1) continue;
                    } else if (emitted >= kParam) {
                        break;
                    }
                    emitted++;
                    out.add(in.get(si).labels, t, gather.val[k]);
                }
            }
        }
        return out.result();
    }

    /**
     * The k best of {@code cand[0..n)} (indexes into {@code val}) in order, best first; among equal values the
     * earlier input wins and NaN ranks last, as Prometheus's heap selection yields. Insertion into a k-slot list:
     * k is small in practice, and nothing is allocated.
     */
    static int best(int[] cand, int n, int k, double[] val, boolean highest, int[] outIdx) {
        int size = 0;
        for (int i = 0; i < n; i++) {
            int c = cand[i];
            double v = val[c];
            int pos = size;
            while (pos > 0 && Calls.compareNaNLast(v, val[outIdx[pos - 1]], highest) < 0) pos--;
            if (pos >= k) continue;
            int last = Math.min(size, k - 1);
            System.arraycopy(outIdx, pos, outIdx, pos + 1, last - pos);
            outIdx[pos] = c;
            if (size < k) size++;
        }
        return size;
    }

    /**
     * limit_ratio picks a series when a hash of its labels, scaled to [0, 1), is below the ratio (or, for
     * negative ratios, at or above 1 + ratio), so the same series stay selected across steps and queries.
     * Tally's label hash differs from Prometheus's, so the chosen subset differs (its size does not, on average).
     */
    private static double[] ratioOffsets(List<StepSeries> in) {
        double[] out = new double[in.size()];
        for (int i = 0; i < in.size(); i++) {
            long h = in.get(i).labels.hash64();
            out[i] = (h >>> 11) * 0x1.0p-53;
        }
        return out;
    }

    /** count_values: counts samples per distinct value, the value becoming a label. */
    private static List<StepSeries> countValues(Evaluator ev, AggregateExpr a, String valueLabel) {
        if (!tally.promql.functions.LabelFunctions.validLabelName(valueLabel)) throw PromQLException.execution("invalid label name \"" + valueLabel + "\"");
        List<StepSeries> in = ev.evalSeries(a.expr());
        StepGather gather = new StepGather(in);
        StepCollector out = new StepCollector(ev.ctx, ev.numSteps);
        Map<Labels, int[]> counts = new java.util.LinkedHashMap<>();
        LabelsBuilder lb = new LabelsBuilder();
        List<String> grouping = new ArrayList<>(a.grouping());
        if (!a.without()) grouping.add(valueLabel);
        AggregateExpr withValue = new AggregateExpr(a.op(), a.expr(), a.param(), grouping, a.without(), a.pos());
        for (int step = 0; step < ev.numSteps; step++) {
            ev.ctx.checkCancelled();
            long t = ev.stepTime(step);
            gather.gather(t);
            counts.clear();
            for (int k = 0; k < gather.count; k++) {
                lb.reset(in.get(gather.idx[k]).labels);
                lb.set(valueLabel, formatValue(gather.val[k]));
                Labels g = groupLabels(lb.build(), withValue);
                counts.computeIfAbsent(g, x -> new int[1])[0]++;
            }
            for (Map.Entry<Labels, int[]> e : counts.entrySet()) out.add(e.getKey(), t, e.getValue()[0]);
        }
        return out.result();
    }

    /** Go's strconv.FormatFloat(v, 'f', -1, 64): shortest digits, never an exponent. */
    static String formatValue(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        if (v == 0) return (1 / v < 0) ? "-0" : "0";
        String s = new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
        return s;
    }
}
