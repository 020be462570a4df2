package tally.promql.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import tally.model.Querier;
import tally.model.Queryable;
import tally.promql.ast.Expr;
import tally.promql.ast.ValueType;

/**
 * Evaluates PromQL syntax trees against storage with Prometheus 3.x semantics. Thread-safe: every query
 * gets its own evaluator state.
 */
public final class Engine {
    private final EngineOptions opts;

    public Engine(EngineOptions opts) {
        this.opts = opts;
    }

    public EngineOptions options() { return opts; }

    /**
     * The time range [mint, maxt] in ms that evaluating {@code expr} at the steps of [start, end] reads from storage
     * (selector windows, lookback, offsets, @ and subqueries): what a cached result of those steps depends on.
     */
    public long[] readRange(Expr expr, long startMs, long endMs, long stepMs) {
        return TimeExtent.of(expr, startMs, endMs, stepMs, opts);
    }

    public QueryResult instant(Queryable storage, Expr expr, long timeMs) {
        return instant(storage, expr, timeMs, null);
    }

    /** @param cancelled polled during evaluation; when it returns true the query fails as "canceled" */
    public QueryResult instant(Queryable storage, Expr expr, long timeMs, BooleanSupplier cancelled) {
        return instant(storage, expr, null, timeMs, cancelled);
    }

    /**
     * @param query the text expr was parsed from: annotations then end in Prometheus's {@code (line:col)};
     *              null leaves them without position
     */
    public QueryResult instant(Queryable storage, Expr expr, String query, long timeMs, BooleanSupplier cancelled) {
        long[] range = TimeExtent.of(expr, timeMs, timeMs, 1, opts);
        try (Querier q = storage.querier(range[0], range[1])) {
            QueryContext ctx = new QueryContext(q, opts, query, timeMs, timeMs, cancelled, expr);
            Evaluator ev = new Evaluator(ctx, timeMs, timeMs, 1);
            Object r = evaluate(ev, expr);
            Value v;
            if (r instanceof String s) {
                v = new StringValue(timeMs, s);
            } else {
                @SuppressWarnings("unchecked")
                List<StepSeries> l = (List<StepSeries>) r;
                v = switch (expr.type()) {
                    case SCALAR -> new Scalar(timeMs, l.isEmpty() || l.get(0).n == 0 ? Double.NaN : l.get(0).vs[0]);
                    case VECTOR -> toVector(l, timeMs);
                    case MATRIX -> toMatrix(l);
                    case STRING -> throw new IllegalStateException("string expression produced series");
                };
            }
            return new QueryResult(v, ctx.warnings(), ctx.infos());
        }
    }

    public QueryResult range(Queryable storage, Expr expr, long startMs, long endMs, long stepMs) {
        return range(storage, expr, startMs, endMs, stepMs, null);
    }

    public QueryResult range(Queryable storage, Expr expr, long startMs, long endMs, long stepMs,
                             BooleanSupplier cancelled) {
        return range(storage, expr, null, startMs, endMs, stepMs, cancelled);
    }

    /** @param query as in {@link #instant(Queryable, Expr, String, long, BooleanSupplier)} */
    public QueryResult range(Queryable storage, Expr expr, String query, long startMs, long endMs, long stepMs,
                             BooleanSupplier cancelled) {
        return range(storage, expr, query, RangeSteps.of(startMs, endMs, () -> stepMs, opts.maxPointsPerSeries()), cancelled);
    }

    /** A range query over steps already checked (the API checks them while parsing its parameters). */
    public QueryResult range(Queryable storage, Expr expr, String query, RangeSteps steps, BooleanSupplier cancelled) {
        if (expr.type() != ValueType.SCALAR && expr.type() != ValueType.VECTOR) {
            throw PromQLException.badData("invalid expression type \"" + expr.type().documentedName()
                    + "\" for range query, must be Scalar or instant Vector");
        }
        long startMs = steps.startMs(), endMs = steps.endMs(), stepMs = steps.stepMs();
        Expr prepared = StepInvariance.wrap(expr);
        long[] range = TimeExtent.of(prepared, startMs, endMs, stepMs, opts);
        try (Querier q = storage.querier(range[0], range[1])) {
            QueryContext ctx = new QueryContext(q, opts, query, startMs, endMs, cancelled, prepared);
            // toMatrix sorts the result by labels, the one order Prometheus's API promises for a range query, so
            // whatever produces it need not sort too (storage, an aggregation's groups)
            Aggregations.markInputOrderFree(ctx, prepared);
            Evaluator ev = new Evaluator(ctx, startMs, endMs, stepMs);
            @SuppressWarnings("unchecked")
            List<StepSeries> l = (List<StepSeries>) evaluate(ev, prepared);
            return new QueryResult(toMatrix(l), ctx.warnings(), ctx.infos());
        }
    }

    private static Object evaluate(Evaluator ev, Expr expr) {
        try {
            return ev.eval(expr);
        } catch (StackOverflowError e) {
            throw PromQLException.execution("query is too deeply nested");
        }
    }

    private static InstantVector toVector(List<StepSeries> l, long t) {
        List<Sample> out = new ArrayList<>(l.size());
        for (StepSeries s : l) if (s.n > 0) out.add(new Sample(s.labels, t, s.vs[0]));
        return new InstantVector(out);
    }

    private static RangeMatrix toMatrix(List<StepSeries> l) {
        List<StepSeries> sorted = new ArrayList<>(l.size());
        for (StepSeries s : l) if (s.n > 0) sorted.add(s);
        sorted.sort((a, b) -> a.labels.compareTo(b.labels));
        List<SeriesPoints> out = new ArrayList<>(sorted.size());
        for (StepSeries s : sorted) out.add(s.toPoints());
        return new RangeMatrix(out);
    }
}
