package tally.promql.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tally.promql.ast.AggregateExpr;
import tally.promql.ast.AtModifier;
import tally.promql.ast.BinaryExpr;
import tally.promql.ast.Call;
import tally.promql.ast.Expr;
import tally.promql.ast.MatrixSelector;
import tally.promql.ast.ParenExpr;
import tally.promql.ast.StepInvariantExpr;
import tally.promql.ast.SubqueryExpr;
import tally.promql.ast.UnaryExpr;
import tally.promql.ast.VectorSelector;

/**
 * promqltest's {@code @} cross-check: pin every selector (and outermost subquery) without an
 * {@code @} to the eval time, then the query must give the same result at other eval times.
 */
final class AtModifierRewrite {
    /** Functions whose result depends on the evaluation time even with pinned arguments. */
    private static final Set<String> UNSAFE = Set.of("days_in_month", "day_of_month", "day_of_week", "day_of_year",
            "hour", "minute", "month", "year", "predict_linear", "time", "timestamp");

    private AtModifierRewrite() {}

    /** The eval times to re-run a pinned query at (promqltest's choice). */
    static long[] evalTimes(long t) {
        return t == 0 ? new long[] {-1000, 0, 1000} : new long[] {-10 * t, 0, t / 5, t, 10 * t};
    }

    /** The pinned expression, or null when it uses a time-dependent function (then no cross-check). */
    static Expr pin(Expr e, long t) {
        boolean[] unsafe = {false};
        AstWalk.visit(e, n -> {
            if (n instanceof Call c && UNSAFE.contains(c.function().name())) unsafe[0] = true;
        });
        return unsafe[0] ? null : rewrite(e, AtModifier.at(t));
    }

    private static Expr rewrite(Expr e, AtModifier at) {
        if (e instanceof VectorSelector v) {
            return v.at() != null ? v : new VectorSelector(v.name(), v.matchers(), v.offsetMs(), at, v.pos());
        }
        if (e instanceof MatrixSelector m) {
            return new MatrixSelector((VectorSelector) rewrite(m.selector(), at), m.rangeMs(), m.pos());
        }
        if (e instanceof SubqueryExpr s) {
            // Selectors inside a subquery keep their own times: only the subquery itself is pinned.
            return s.at() != null ? s : new SubqueryExpr(s.expr(), s.rangeMs(), s.stepMs(), s.offsetMs(), at, s.pos());
        }
        if (e instanceof Call c) {
            List<Expr> args = new ArrayList<>(c.args().size());
            for (Expr a : c.args()) args.add(rewrite(a, at));
            return new Call(c.function(), args, c.pos());
        }
        if (e instanceof AggregateExpr a) {
            return new AggregateExpr(a.op(), rewrite(a.expr(), at), a.param() == null ? null : rewrite(a.param(), at),
                    a.grouping(), a.without(), a.pos());
        }
        if (e instanceof BinaryExpr b) {
            return new BinaryExpr(b.op(), rewrite(b.lhs(), at), rewrite(b.rhs(), at), b.matching(), b.returnBool(), b.pos());
        }
        if (e instanceof UnaryExpr u) return new UnaryExpr(u.negate(), rewrite(u.expr(), at), u.pos());
        if (e instanceof ParenExpr p) return new ParenExpr(rewrite(p.expr(), at), p.pos());
        if (e instanceof StepInvariantExpr s) return new StepInvariantExpr(rewrite(s.expr(), at), s.pos());
        return e; // literals
    }
}
