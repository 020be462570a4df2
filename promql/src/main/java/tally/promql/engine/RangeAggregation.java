package tally.promql.engine;

import java.util.ArrayList;
import java.util.List;
import tally.model.Labels;
import tally.promql.ast.AggregateExpr;
import tally.promql.ast.Call;
import tally.promql.ast.Expr;
import tally.promql.ast.MatrixSelector;
import tally.promql.ast.ParenExpr;
import tally.promql.functions.RangeFunctions;

/**
 * An aggregation straight over a range function of one metric, {@code sum by (model) (increase(cost[1d]))}: each
 * series' points are folded into their group as the function computes them. The unfused path holds every input
 * series' result with a copy of its labels without the name (hundreds of thousands of objects over a 30-day
 * window, promoted by the collector and then collected) before grouping them; here a series is garbage as soon as
 * its points are folded, and only a new group builds labels.
 *
 * <p>Same answer, bit for bit: series arrive in the order the unfused path would list them, and
 * {@link SeriesMajorReduce} folds them in that order (the unfused path's own reduction for these operators). When
 * groups x steps outgrows its cells, the aggregation is given back to the unfused path, which then reduces step by
 * step; the work done so far is dropped.
 */
final class RangeAggregation {
    private RangeAggregation() {}

    /** Thrown to give the aggregation back to the unfused path (no stack: it is control flow). */
    private static final class TooManyGroups extends RuntimeException {
        TooManyGroups() {
            super(null, null, false, false);
        }
    }

    /**
     * The call whose results may be folded straight into the aggregation, or null: a range function (not
     * absent_over_time) over a selector pinned to one metric name (so dropping the name leaves distinct labels,
     * as the unfused path's uniqueness check would find), written once in the query (a repeated call's result is
     * shared instead), under sum, avg, count, min, max, group, stddev or stdvar.
     */
    static Call fusable(QueryContext ctx, AggregateExpr a) {
        if (!SeriesMajorReduce.supports(a.op())) return null;
        Expr e = a.expr();
        while (e instanceof ParenExpr p) e = p.expr();
        if (!(e instanceof Call c)) return null;
        String name = c.function().name();
        if (name.equals("absent_over_time") || RangeFunctions.lookup(name) == null) return null;
        MatrixSelector ms = null;
        for (Expr arg : c.args()) if (Calls.unwrap(arg) instanceof MatrixSelector m) ms = m;
        if (ms == null || !Selectors.namePinned(ms.selector())) return null;
        if (ctx.calls.isRepeated(c)) return null;
        return c;
    }

    /** The aggregation's result, or null when it has too many groups x steps to fold here. */
    static List<StepSeries> eval(Evaluator ev, AggregateExpr a, Call c) {
        ev.ctx.checkNow();
        long before = ev.ctx.currentSamples();
        int matrixArg = 0;
        for (int i = 0; i < c.args().size(); i++) if (Calls.unwrap(c.args().get(i)) instanceof MatrixSelector) matrixArg = i;
        boolean ignoreName = !RangeFunctions.keepsMetricName(c.function().name());
        List<Labels> groupLabels = new ArrayList<>();
        GroupIds groups = new GroupIds(a, ignoreName, groupLabels);
        SeriesMajorReduce reduce = new SeriesMajorReduce(ev, a.op(), 0);
        int[] inputs = new int[1];
        try {
            RangeCalls.stream(ev, c, matrixArg, Calls.unwrap(c.args().get(matrixArg)), (l, ts, vs, n) -> {
                int g = groups.of(l);
                if (!reduce.ensureGroups(g + 1)) throw new TooManyGroups();
                reduce.add(g, inputs[0]++, ts, vs, n);
            });
        } catch (TooManyGroups e) {
            ev.ctx.releaseSamples(ev.ctx.currentSamples());
            ev.ctx.addSamples(before);
            return null;
        }
        // what the unfused path holds at this point: the function's output (counted as it was computed), then the groups
        return reduce.result(groupLabels);
    }
}
