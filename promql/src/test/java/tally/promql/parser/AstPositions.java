package tally.promql.parser;

import java.util.ArrayList;
import java.util.List;
import tally.promql.ast.AggregateExpr;
import tally.promql.ast.BinaryExpr;
import tally.promql.ast.Call;
import tally.promql.ast.Expr;
import tally.promql.ast.MatrixSelector;
import tally.promql.ast.NumberLiteral;
import tally.promql.ast.ParenExpr;
import tally.promql.ast.PositionRange;
import tally.promql.ast.StepInvariantExpr;
import tally.promql.ast.StringLiteral;
import tally.promql.ast.SubqueryExpr;
import tally.promql.ast.UnaryExpr;
import tally.promql.ast.VectorSelector;

/** Copies a tree with every position set to NONE, so that trees parsed from different text compare equal. */
final class AstPositions {
    private static final PositionRange N = PositionRange.NONE;

    private AstPositions() {}

    static Expr strip(Expr e) {
        if (e == null) return null;
        if (e instanceof NumberLiteral n) return new NumberLiteral(n.value(), N);
        if (e instanceof StringLiteral s) return new StringLiteral(s.value(), N);
        if (e instanceof VectorSelector v) return selector(v);
        if (e instanceof MatrixSelector m) return new MatrixSelector(selector(m.selector()), m.rangeMs(), N);
        if (e instanceof SubqueryExpr s) return new SubqueryExpr(strip(s.expr()), s.rangeMs(), s.stepMs(), s.offsetMs(), s.at(), N);
        if (e instanceof Call c) {
            List<Expr> args = new ArrayList<>();
            for (Expr a : c.args()) args.add(strip(a));
            return new Call(c.function(), args, N);
        }
        if (e instanceof AggregateExpr a) return new AggregateExpr(a.op(), strip(a.expr()), strip(a.param()), a.grouping(), a.without(), N);
        if (e instanceof BinaryExpr b) return new BinaryExpr(b.op(), strip(b.lhs()), strip(b.rhs()), b.matching(), b.returnBool(), N);
        if (e instanceof UnaryExpr u) return new UnaryExpr(u.negate(), strip(u.expr()), N);
        if (e instanceof ParenExpr p) return new ParenExpr(strip(p.expr()), N);
        if (e instanceof StepInvariantExpr s) return new StepInvariantExpr(strip(s.expr()), N);
        throw new IllegalArgumentException(e.getClass().getName());
    }

    private static VectorSelector selector(VectorSelector v) {
        return new VectorSelector(v.name(), v.matchers(), v.offsetMs(), v.at(), N);
    }
}
