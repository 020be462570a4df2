package tally.promql.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tally.model.Labels;
import tally.model.LabelsBuilder;
import tally.promql.ast.BinaryExpr;
import tally.promql.ast.BinaryOp;
import tally.promql.ast.ValueType;
import tally.promql.ast.VectorMatching;
import tally.promql.ast.VectorMatching.Cardinality;
import tally.promql.functions.GoMath;

/** Binary operators between scalars and vectors, with Prometheus's vector matching rules. */
final class BinaryOps {
    private BinaryOps() {}

    static Object eval(Evaluator ev, BinaryExpr b) {
        ValueType lt = b.lhs().type(), rt = b.rhs().type();
        if (lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
            double[] l = ev.evalScalar(b.lhs());
            double[] r = ev.evalScalar(b.rhs());
            List<StepSeries> out = ev.constant(0);
            StepSeries s = out.get(0);
            for (int i = 0; i < s.n; i++) s.vs[i] = scalarOp(b.op(), l[i], r[i]);
            return out;
        }
        if (lt == ValueType.VECTOR && rt == ValueType.SCALAR) {
            List<StepSeries> l = ev.evalSeries(b.lhs());
            return vectorScalar(ev, b, l, ev.evalScalar(b.rhs()), false);
        }
        if (lt == ValueType.SCALAR && rt == ValueType.VECTOR) {
            double[] l = ev.evalScalar(b.lhs());
            return vectorScalar(ev, b, ev.evalSeries(b.rhs()), l, true);
        }
        List<StepSeries> l = ev.evalSeries(b.lhs());
        List<StepSeries> r = ev.evalSeries(b.rhs());
        VectorMatching m = b.matching() != null ? b.matching() : VectorMatching.defaults(b.op());
        if (b.op().isSetOperator()) return setOp(ev, b.op(), l, r, m);
        return vectorVector(ev, b, l, r, m);
    }

    /** Arithmetic always yields a value; comparisons here are the "bool" form (1 or 0). */
    static double scalarOp(BinaryOp op, double l, double r) {
        return switch (op) {
            case ADD -> l + r;
            case SUB -> l - r;
            case MUL -> l * r;
            case DIV -> l / r;
            case MOD -> l % r; // Java's % on doubles is Go's math.Mod
            case POW -> GoMath.pow(l, r);
            case ATAN2 -> Math.atan2(l, r);
            case EQL -> l == r ? 1 : 0;
            case NEQ -> l != r ? 1 : 0;
            case GTR -> l > r ? 1 : 0;
            case LSS -> l < r ? 1 : 0;
            case GTE -> l >= r ? 1 : 0;
            case LTE -> l <= r ? 1 : 0;
            default -> throw new IllegalStateException("operator " + op + " not allowed for scalar operations");
        };
    }

    static boolean compare(BinaryOp op, double l, double r) {
        return switch (op) {
            case EQL -> l == r;
            case NEQ -> l != r;
            case GTR -> l > r;
            case LSS -> l < r;
            case GTE -> l >= r;
            case LTE -> l <= r;
            default -> throw new IllegalStateException("not a comparison: " + op);
        };
    }

    /** Arithmetic changes what a sample measures, so its name goes; comparisons without bool filter only. */
    private static boolean dropsName(BinaryOp op, boolean returnBool) {
        return !op.isComparison() || returnBool;
    }

    private static List<StepSeries> vectorScalar(Evaluator ev, BinaryExpr b, List<StepSeries> vec, double[] scalar,
                                                 boolean scalarOnLeft) {
        BinaryOp op = b.op();
        boolean dropName = dropsName(op, b.returnBool());
        List<StepSeries> out = new ArrayList<>(vec.size());
        for (StepSeries s : vec) {
            int k = 0;
            for (int i = 0; i < s.n; i++) {
                double sv = scalar[ev.stepIndex(s.ts[i])];
                double lv = scalarOnLeft ? sv : s.vs[i];
                double rv = scalarOnLeft ? s.vs[i] : sv;
                double v;
                if (op.isComparison()) {
                    boolean keep = compare(op, lv, rv);
                    if (b.returnBool()) {
                        v = keep ? 1 : 0;
                    } else if (keep) {
                        v = s.vs[i]; // a filter keeps the vector's own value
                    } else {
                        continue;
                    }
                } else {
                    v = scalarOp(op, lv, rv);
                }
                s.ts[k] = s.ts[i];
                s.vs[k] = v;
                k++;
            }
            s.n = k;
            if (dropName) s.labels = s.labels.withoutMetricName();
            if (k > 0) out.add(s);
        }
        return dropName ? SeriesMerger.mergeSameLabels(out) : out;
    }

    /** The part of a label set that decides which series match: on(...) keeps, ignoring(...) drops (and the name). */
    static Labels signature(Labels l, VectorMatching m) {
        if (m.on()) return l.keep(m.matchingLabels());
        if (m.matchingLabels().isEmpty()) return l.withoutMetricName();
        List<String> drop = new ArrayList<>(m.matchingLabels().size() + 1);
        drop.addAll(m.matchingLabels());
        drop.add(Labels.METRIC_NAME);
        return l.drop(drop);
    }

    /** Maps each series to a small integer per distinct signature, shared by both sides. */
    private static int[] signatureIds(List<StepSeries> l, VectorMatching m, Map<LabelsKey, Integer> ids) {
        int[] out = new int[l.size()];
        for (int i = 0; i < l.size(); i++) {
            LabelsKey sig = new LabelsKey(signature(l.get(i).labels, m));
            Integer id = ids.get(sig);
            if (id == null) {
                id = ids.size();
                ids.put(sig, id);
            }
            out[i] = id;
        }
        return out;
    }

    private static List<StepSeries> setOp(Evaluator ev, BinaryOp op, List<StepSeries> l, List<StepSeries> r,
                                          VectorMatching m) {
        if (ev.numSteps == 1) {
            // one side without a sample: the answer is the other side or nothing, without matching 237 k
            // signatures against none (the dashboards' exact totals: (x - x offset R) or x, with nothing R ago)
            boolean noLeft = noPoints(l), noRight = noPoints(r);
            if (noLeft || noRight) {
                List<StepSeries> pass = switch (op) {
                    case OR -> noLeft ? r : l;
                    case UNLESS -> l;
                    default -> List.of(); // AND
                };
                List<StepSeries> out = new ArrayList<>();
                for (StepSeries s : pass) if (present(s, ev.stepTime(0))) out.add(s);
                ev.ctx.addSamples(out.size());
                return out;
            }
        }
        Map<LabelsKey, Integer> ids = new HashMap<>(Math.max(16, (int) ((l.size() + r.size()) / 0.75f) + 1));
        int[] lsig = signatureIds(l, m, ids);
        int[] rsig = signatureIds(r, m, ids);
        if (ev.numSteps == 1) return setOpInstant(ev, op, l, r, lsig, rsig, ids.size());
        StepGather lg = new StepGather(l), rg = new StepGather(r);
        int[] rightStamp = new int[ids.size()];
        int[] leftStamp = new int[ids.size()];
        StepCollector out = new StepCollector(ev.ctx, ev.numSteps);
        for (int step = 0; step < ev.numSteps; step++) {
            ev.ctx.checkCancelled();
            long t = ev.stepTime(step);
            int stamp = step + 1;
            lg.gather(t);
            rg.gather(t);
            switch (op) {
                case AND -> {
                    for (int k = 0; k < rg.count; k++) rightStamp[rsig[rg.idx[k]]] = stamp;
                    for (int k = 0; k < lg.count; k++) {
                        if (rightStamp[lsig[lg.idx[k]]] == stamp) out.add(l.get(lg.idx[k]).labels, t, lg.val[k]);
                    }
                }
                case OR -> {
                    for (int k = 0; k < lg.count; k++) {
                        leftStamp[lsig[lg.idx[k]]] = stamp;
                        out.add(l.get(lg.idx[k]).labels, t, lg.val[k]);
                    }
                    for (int k = 0; k < rg.count; k++) {
                        if (leftStamp[rsig[rg.idx[k]]] != stamp) out.add(r.get(rg.idx[k]).labels, t, rg.val[k]);
                    }
                }
                case UNLESS -> {
                    for (int k = 0; k < rg.count; k++) rightStamp[rsig[rg.idx[k]]] = stamp;
                    for (int k = 0; k < lg.count; k++) {
                        if (rightStamp[lsig[lg.idx[k]]] != stamp) out.add(l.get(lg.idx[k]).labels, t, lg.val[k]);
                    }
                }
                default -> throw new IllegalStateException("not a set operator: " + op);
            }
        }
        return out.result();
    }

    /**
     * One step: the series that pass are the input series themselves (each has its one point at the step), in the
     * order the step-wise path would collect them, so they are handed on rather than rebuilt point by point.
     * Neither side holds a label set twice (every node's output is checked), and a right series whose labels equal
     * a left one's has its signature too, so the output holds no label set twice either.
     */
    private static List<StepSeries> setOpInstant(Evaluator ev, BinaryOp op, List<StepSeries> l, List<StepSeries> r,
                                                 int[] lsig, int[] rsig, int signatures) {
        long t = ev.stepTime(0);
        boolean[] onRight = new boolean[signatures], onLeft = new boolean[signatures];
        for (int i = 0; i < r.size(); i++) if (present(r.get(i), t)) onRight[rsig[i]] = true;
        List<StepSeries> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            StepSeries s = l.get(i);
            if (!present(s, t)) continue;
            boolean keep = switch (op) {
                case AND -> onRight[lsig[i]];
                case OR -> true;
                case UNLESS -> !onRight[lsig[i]];
                default -> throw new IllegalStateException("not a set operator: " + op);
            };
            onLeft[lsig[i]] = true;
            if (keep) out.add(s);
        }
        if (op == BinaryOp.OR) {
            for (int i = 0; i < r.size(); i++) if (present(r.get(i), t) && !onLeft[rsig[i]]) out.add(r.get(i));
        }
        ev.ctx.addSamples(out.size());
        return out;
    }

    private static boolean noPoints(List<StepSeries> l) {
        for (StepSeries s : l) if (s.n > 0) return false;
        return true;
    }

    private static boolean present(StepSeries s, long t) {
        return s.n == 1 && s.ts[0] == t;
    }

    private static List<StepSeries> vectorVector(Evaluator ev, BinaryExpr b, List<StepSeries> lhs,
                                                 List<StepSeries> rhs, VectorMatching m) {
        // as Prometheus: when one side has no sample, nothing can match (and no duplicate can be met)
        if (noPoints(lhs) || noPoints(rhs)) return new ArrayList<>();
        BinaryOp op = b.op();
        boolean returnBool = b.returnBool();
        Cardinality card = m.card();
        boolean swap = card == Cardinality.ONE_TO_MANY;
        // "many" side first: for group_right the right side plays the left's role
        List<StepSeries> many = swap ? rhs : lhs;
        List<StepSeries> one = swap ? lhs : rhs;
        Map<LabelsKey, Integer> ids = new HashMap<>();
        int[] manySig = signatureIds(many, m, ids);
        int[] oneSig = signatureIds(one, m, ids);
        int nsig = ids.size();
        int[] oneAt = new int[nsig];       // index into one-side gather of the sample with this signature
        int[] oneStamp = new int[nsig];
        int[] matchedStamp = new int[nsig];
        Map<Integer, Set<Labels>> matchedMetrics = card == Cardinality.ONE_TO_ONE ? null : new HashMap<>();
        // result labels per many-side series, valid while it keeps matching the same one-side series
        int[] cachedOne = new int[many.size()];
        java.util.Arrays.fill(cachedOne, -1);
        Labels[] cachedLabels = new Labels[many.size()];
        boolean dropName = dropsName(op, returnBool);
        StepGather mg = new StepGather(many), og = new StepGather(one);
        StepCollector out = new StepCollector(ev.ctx, ev.numSteps);
        for (int step = 0; step < ev.numSteps; step++) {
            ev.ctx.checkCancelled();
            long t = ev.stepTime(step);
            int stamp = step + 1;
            mg.gather(t);
            og.gather(t);
            if (mg.count == 0 || og.count == 0) continue;
            for (int k = 0; k < og.count; k++) {
                int sig = oneSig[og.idx[k]];
                if (oneStamp[sig] == stamp) {
                    duplicateError(one.get(og.idx[k]).labels, one.get(og.idx[oneAt[sig]]).labels, m, swap);
                }
                oneStamp[sig] = stamp;
                oneAt[sig] = k;
            }
            if (matchedMetrics != null) matchedMetrics.clear();
            for (int k = 0; k < mg.count; k++) {
                int mi = mg.idx[k];
                int sig = manySig[mi];
                if (oneStamp[sig] != stamp) continue;
                int ok = oneAt[sig];
                int oi = og.idx[ok];
                double fl = mg.val[k], fr = og.val[ok];
                if (swap) {
                    double tmp = fl;
                    fl = fr;
                    fr = tmp;
                }
                double value;
                boolean keep;
                if (op.isComparison()) {
                    keep = compare(op, fl, fr);
                    value = returnBool ? (keep ? 1 : 0) : fl;
                } else {
                    keep = true;
                    value = scalarOp(op, fl, fr);
                }
                Labels metric = cachedOne[mi] == oi ? cachedLabels[mi] : null;
                if (metric == null) {
                    metric = resultMetric(many.get(mi).labels, one.get(oi).labels, m, dropName);
                    cachedOne[mi] = oi;
                    cachedLabels[mi] = metric;
                }
                if (card == Cardinality.ONE_TO_ONE) {
                    if (matchedStamp[sig] == stamp) {
                        throw PromQLException.execution("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
                    }
                    matchedStamp[sig] = stamp;
                } else if (!matchedMetrics.computeIfAbsent(sig, x -> new HashSet<>()).add(metric)) {
                    throw PromQLException.execution("multiple matches for labels: grouping labels must ensure unique matches");
                }
                if (!keep && !returnBool) continue;
                out.add(metric, t, value);
            }
        }
        return out.result();
    }

    private static void duplicateError(Labels a, Labels b, VectorMatching m, boolean swapped) {
        String d1 = LabelsFormat.braces(a), d2 = LabelsFormat.braces(b);
        if (d1.compareTo(d2) > 0) {
            String tmp = d1;
            d1 = d2;
            d2 = tmp;
        }
        throw PromQLException.execution("found duplicate series for the match group " + LabelsFormat.braces(signature(a, m))
                + " on the " + (swapped ? "left" : "right") + " hand-side of the operation: [" + d1 + ", " + d2
                + "];many-to-many matching not allowed: matching labels must be unique on one side");
    }

    /** Result labels: the many side's, name dropped if needed; one-to-one keeps only on()/drops ignoring(); group labels copied. */
    private static Labels resultMetric(Labels many, Labels one, VectorMatching m, boolean dropName) {
        if (m.card() == Cardinality.ONE_TO_ONE && !m.on() && m.matchingLabels().isEmpty() && m.include().isEmpty()) {
            // plain one-to-one: the many side's labels, without the name when dropped (no builder round trip)
            return dropName ? many.withoutMetricName() : many;
        }
        LabelsBuilder lb = many.toBuilder();
        if (dropName) lb.remove(Labels.METRIC_NAME);
        if (m.card() == Cardinality.ONE_TO_ONE) {
            if (m.on()) {
                Labels cur = lb.build();
                lb = new LabelsBuilder();
                for (int i = 0; i < cur.size(); i++) {
                    if (m.matchingLabels().contains(cur.name(i))) lb.set(cur.name(i), cur.value(i));
                }
            } else {
                for (String n : m.matchingLabels()) lb.remove(n);
            }
        }
        for (String n : m.include()) {
            String v = one.get(n);
            if (v != null && !v.isEmpty()) lb.set(n, v); else lb.remove(n);
        }
        return lb.build();
    }
}
