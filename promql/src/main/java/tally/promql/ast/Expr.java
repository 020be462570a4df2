package tally.promql.ast;

import java.util.ArrayList;
import java.util.List;

/**
 * A node of the PromQL syntax tree. Nodes are immutable; {@link #toString()} prints valid PromQL
 * that parses back to an equal tree.
 */
public sealed interface Expr permits NumberLiteral, StringLiteral, VectorSelector, MatrixSelector,
        SubqueryExpr, Call, AggregateExpr, BinaryExpr, UnaryExpr, ParenExpr, StepInvariantExpr {
    /** The static type of the value this expression produces. */
    ValueType type();

    PositionRange pos();

    /** The sub-expressions this node evaluates, in source order (an aggregation's parameter before its operand). */
    default List<Expr> children() {
        if (this instanceof MatrixSelector m) return List.of(m.selector());
        if (this instanceof SubqueryExpr s) return List.of(s.expr());
        if (this instanceof ParenExpr p) return List.of(p.expr());
        if (this instanceof UnaryExpr u) return List.of(u.expr());
        if (this instanceof StepInvariantExpr si) return List.of(si.expr());
        if (this instanceof BinaryExpr b) return List.of(b.lhs(), b.rhs());
        if (this instanceof AggregateExpr a) return a.param() == null ? List.of(a.expr()) : List.of(a.param(), a.expr());
        if (this instanceof Call c) return c.args();
        return List.of(); // literals and vector selectors
    }

    /** This node and every node below it, parents first. */
    default List<Expr> descendants() {
        List<Expr> out = new ArrayList<>();
        out.add(this);
        for (int i = 0; i < out.size(); i++) out.addAll(out.get(i).children());
        return out;
    }
}
