package tally.promql.test;

import java.util.List;
import java.util.function.Consumer;
import tally.promql.ast.AggregateExpr;
import tally.promql.ast.BinaryExpr;
import tally.promql.ast.Call;
import tally.promql.ast.Expr;
import tally.promql.ast.MatrixSelector;
import tally.promql.ast.ParenExpr;
import tally.promql.ast.StepInvariantExpr;
import tally.promql.ast.SubqueryExpr;
import tally.promql.ast.UnaryExpr;

/** Visits every node of a syntax tree, parents before children. */
final class AstWalk {
    private AstWalk() {}

    static void visit(Expr e, Consumer<Expr> f) {
        if (e == null) return;
        f.accept(e);
        for (Expr child : children(e)) visit(child, f);
    }

    static List<Expr> children(Expr e) {
        if (e instanceof MatrixSelector m) return List.of(m.selector());
        if (e instanceof SubqueryExpr s) return List.of(s.expr());
        if (e instanceof Call c) return c.args();
        if (e instanceof AggregateExpr a) return a.param() == null ? List.of(a.expr()) : List.of(a.param(), a.expr());
        if (e instanceof BinaryExpr b) return List.of(b.lhs(), b.rhs());
        if (e instanceof UnaryExpr u) return List.of(u.expr());
        if (e instanceof ParenExpr p) return List.of(p.expr());
        if (e instanceof StepInvariantExpr s) return List.of(s.expr());
        return List.of();
    }
}
