package tally.promql.engine;

import java.util.ArrayList;
import java.util.List;
import tally.model.Labels;
import tally.promql.ast.AggregateExpr;
import tally.promql.ast.AtModifier;
import tally.promql.ast.BinaryExpr;
import tally.promql.ast.Call;
import tally.promql.ast.Expr;
import tally.promql.ast.MatrixSelector;
import tally.promql.ast.NumberLiteral;
import tally.promql.ast.ParenExpr;
import tally.promql.ast.StepInvariantExpr;
import tally.promql.ast.StringLiteral;
import tally.promql.ast.SubqueryExpr;
import tally.promql.ast.UnaryExpr;
import tally.promql.ast.ValueType;
import tally.promql.ast.VectorSelector;

/**
 * Evaluates an expression at every step of [start, end] (an instant query is one step) and returns either a
 * list of {@link StepSeries} (vectors; scalars are one label-less series with a point at every step; range
 * expressions give raw points) or a {@link String}. Each node is evaluated once for all steps.
 */
final class Evaluator {
    final QueryContext ctx;
    final long start;
    final long end;
    final long interval;
    final int numSteps;

    Evaluator(QueryContext ctx, long start, long end, long interval) {
        this.ctx = ctx;
        this.start = start;
        this.end = end;
        this.interval = interval;
        this.numSteps = end < start ? 0 : (int) ((end - start) / interval) + 1;
    }

    long stepTime(int i) { return start + i * interval; }

    int stepIndex(long t) { return (int) ((t - start) / interval); }

    boolean isInstant() { return start == end; }

    /** The absolute time of an {@code @} modifier, or {@link Long#MIN_VALUE} when there is none. */
    long atTime(AtModifier at) {
        if (at == null) return Long.MIN_VALUE;
        return switch (at.kind()) {
            case START -> ctx.queryStart;
            case END -> ctx.queryEnd;
            case TIMESTAMP -> at.timestampMs();
        };
    }

    Object eval(Expr e) {
        ctx.checkNow();
        if (numSteps == 0) return new ArrayList<StepSeries>();
        long before = ctx.currentSamples();
        Object r = evalNode(e);
        if (r instanceof List<?> l) {
            // what stays in memory now is this node's output; its inputs are garbage
            long points = 0;
            for (Object o : l) points += ((StepSeries) o).n;
            ctx.releaseSamples(ctx.currentSamples());
            ctx.addSamples(before + points);
        }
        return r;
    }

    @SuppressWarnings("unchecked")
    List<StepSeries> evalSeries(Expr e) {
        Object r = eval(e);
        if (!(r instanceof List)) throw new IllegalStateException("expected a vector, got a string for " + e);
        return (List<StepSeries>) r;
    }

    /** A scalar expression's value at each step. */
    double[] evalScalar(Expr e) {
        List<StepSeries> l = evalSeries(e);
        double[] out = new double[numSteps];
        java.util.Arrays.fill(out, Double.NaN);
        if (!l.isEmpty()) {
            StepSeries s = l.get(0);
            for (int i = 0; i < s.n; i++) out[stepIndex(s.ts[i])] = s.vs[i];
        }
        return out;
    }

    String evalString(Expr e) {
        Object r = eval(e);
        if (!(r instanceof String s)) throw new IllegalStateException("expected a string for " + e);
        return s;
    }

    private Object evalNode(Expr e) {
        if (e instanceof NumberLiteral n) return constant(n.value());
        if (e instanceof StringLiteral s) return s.value();
        if (e instanceof ParenExpr p) return eval(p.expr());
        if (e instanceof VectorSelector vs) return Selectors.instantVector(this, vs, false);
        if (e instanceof MatrixSelector ms) return Selectors.rawMatrix(this, ms);
        if (e instanceof SubqueryExpr sq) return runSubquery(sq);
        if (e instanceof StepInvariantExpr si) return evalStepInvariant(si);
        if (e instanceof UnaryExpr u) return evalUnary(u);
        if (e instanceof BinaryExpr b) return BinaryOps.eval(this, b);
        if (e instanceof AggregateExpr a) return Aggregations.eval(this, a);
        if (e instanceof Call c) return ctx.calls.eval(this, c);
        throw new IllegalStateException("unknown expression node " + e.getClass().getSimpleName());
    }

    /** A label-less series with the same value at every step (number literals, scalar results). */
    List<StepSeries> constant(double v) {
        StepSeries s = new StepSeries(Labels.EMPTY, numSteps);
        for (int i = 0; i < numSteps; i++) s.add(stepTime(i), v);
        List<StepSeries> out = new ArrayList<>(1);
        out.add(s);
        return out;
    }

    private Object evalUnary(UnaryExpr u) {
        Object r = eval(u.expr());
        if (!u.negate()) return r;
        @SuppressWarnings("unchecked")
        List<StepSeries> l = (List<StepSeries>) r;
        boolean scalar = u.expr().type() == ValueType.SCALAR;
        for (StepSeries s : l) {
            if (!scalar) s.labels = s.labels.withoutMetricName();
            for (int i = 0; i < s.n; i++) s.vs[i] = -s.vs[i];
        }
        return scalar ? l : SeriesMerger.mergeSameLabels(l);
    }

    /** Evaluates once at the first step and repeats the values at every step. */
    private Object evalStepInvariant(StepInvariantExpr si) {
        Expr inner = si.expr();
        if (isInstant()) return eval(inner);
        Evaluator once = new Evaluator(ctx, start, start, interval);
        Object r = once.eval(inner);
        if (!(r instanceof List<?>) || inner.type() == ValueType.MATRIX) return r;
        @SuppressWarnings("unchecked")
        List<StepSeries> l = (List<StepSeries>) r;
        List<StepSeries> out = new ArrayList<>(l.size());
        for (StepSeries s : l) {
            if (s.n == 0) continue;
            double v = s.vs[0];
            StepSeries rep = new StepSeries(s.labels, numSteps);
            for (int i = 0; i < numSteps; i++) rep.add(stepTime(i), v);
            ctx.addSamples(numSteps);
            out.add(rep);
        }
        return out;
    }

    /**
     * Evaluates a subquery's inner expression on its own grid: steps at multiples of the subquery step, from
     * the first one after (start - offset - range) to (end - offset). Points keep their own timestamps.
     */
    List<StepSeries> runSubquery(SubqueryExpr sq) {
        long step = sq.stepMs() != 0 ? sq.stepMs() : ctx.opts.defaultEvalIntervalMs();
        long at = atTime(sq.at());
        long refStart, refEnd;
        if (at != Long.MIN_VALUE) {
            refStart = at;
            refEnd = at;
        } else {
            refStart = start;
            refEnd = start + ((end - start) / interval) * interval;
        }
        long subEnd = refEnd - sq.offsetMs();
        long lowest = refStart - sq.offsetMs() - sq.rangeMs();
        long subStart = step * (lowest / step);
        if (subStart <= lowest) subStart += step;
        Evaluator inner = new Evaluator(ctx, subStart, subEnd, step);
        return inner.evalSeries(sq.expr());
    }
}
