package tally.promql.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tally.promql.ast.AggregateExpr;
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
import tally.promql.ast.VectorSelector;

/**
 * Finds subtrees whose value does not depend on the evaluation step (everything below them is pinned with
 * {@code @} or constant) and wraps them in {@link StepInvariantExpr}, so a range query evaluates them once.
 * Mirrors Prometheus's pre-processing; range selectors and subqueries themselves are never wrapped.
 */
final class StepInvariance {
    /** Functions whose result depends on the step even when their arguments do not. */
    private static final Set<String> STEP_DEPENDENT = Set.of("days_in_month", "day_of_month", "day_of_week",
            "day_of_year", "hour", "minute", "month", "year", "predict_linear", "time", "timestamp");

    private StepInvariance() {}

    private record Result(Expr expr, boolean invariant, boolean wrappable) {}

    static Expr wrap(Expr e) {
        Result r = visit(e);
        return r.invariant && r.wrappable ? new StepInvariantExpr(r.expr, r.expr.pos()) : r.expr;
    }

    private static Expr wrapIf(Result r) {
        return r.invariant && r.wrappable ? new StepInvariantExpr(r.expr, r.expr.pos()) : r.expr;
    }

    private static Result visit(Expr e) {
        if (e instanceof NumberLiteral || e instanceof StringLiteral) return new Result(e, true, false);
        if (e instanceof VectorSelector vs) return new Result(vs, vs.at() != null, vs.at() != null);
        if (e instanceof MatrixSelector ms) return new Result(ms, ms.selector().at() != null, false);
        if (e instanceof ParenExpr p) {
            Result r = visit(p.expr());
            return new Result(new ParenExpr(r.expr, p.pos()), r.invariant, r.wrappable);
        }
        if (e instanceof UnaryExpr u) {
            Result r = visit(u.expr());
            return new Result(new UnaryExpr(u.negate(), r.expr, u.pos()), r.invariant, r.wrappable);
        }
        if (e instanceof SubqueryExpr sq) {
            Result r = visit(sq.expr());
            Expr inner = r.invariant ? wrapAlways(r.expr) : r.expr;
            SubqueryExpr out = new SubqueryExpr(inner, sq.rangeMs(), sq.stepMs(), sq.offsetMs(), sq.at(), sq.pos());
            return new Result(out, sq.at() != null, false);
        }
        if (e instanceof AggregateExpr a) {
            Result r = visit(a.expr());
            Expr param = a.param() == null ? null : wrapIf(visit(a.param()));
            Expr inner = r.invariant ? r.expr : r.expr;
            AggregateExpr out = new AggregateExpr(a.op(), inner, param, a.grouping(), a.without(), a.pos());
            return new Result(out, r.invariant, true);
        }
        if (e instanceof BinaryExpr b) {
            Result l = visit(b.lhs());
            Result r = visit(b.rhs());
            if (l.invariant && r.invariant) {
                return new Result(new BinaryExpr(b.op(), l.expr, r.expr, b.matching(), b.returnBool(), b.pos()), true, true);
            }
            return new Result(new BinaryExpr(b.op(), wrapIf(l), wrapIf(r), b.matching(), b.returnBool(), b.pos()), false, false);
        }
        if (e instanceof Call c) {
            String name = c.function().name();
            boolean invariant = !STEP_DEPENDENT.contains(name);
            boolean timestampOfPinnedSelector = name.equals("timestamp");
            List<Result> args = new ArrayList<>(c.args().size());
            for (Expr a : c.args()) {
                Result r = visit(a);
                args.add(r);
                invariant &= r.invariant;
                if (!r.invariant || !(Calls.unwrap(r.expr) instanceof VectorSelector)) timestampOfPinnedSelector = false;
            }
            List<Expr> plain = new ArrayList<>(args.size());
            if (invariant || timestampOfPinnedSelector) {
                for (Result r : args) plain.add(r.expr);
                return new Result(new Call(c.function(), plain, c.pos()), true, true);
            }
            for (Result r : args) plain.add(wrapIf(r));
            return new Result(new Call(c.function(), plain, c.pos()), false, false);
        }
        if (e instanceof StepInvariantExpr s) return new Result(s, true, false);
        throw new IllegalStateException("unknown node " + e.getClass().getSimpleName());
    }

    private static Expr wrapAlways(Expr e) {
        if (e instanceof StepInvariantExpr || e instanceof NumberLiteral || e instanceof StringLiteral) return e;
        return new StepInvariantExpr(e, e.pos());
    }
}
