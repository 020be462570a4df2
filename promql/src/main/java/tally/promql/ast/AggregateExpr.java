package tally.promql.ast;

import java.util.List;

/**
 * {@code op [by|without (grouping)] ([param,] expr)}. {@code param} is null for operators without one.
 * {@code without} false with empty grouping means "aggregate everything".
 */
public record AggregateExpr(AggregateOp op, Expr expr, Expr param, List<String> grouping, boolean without,
                            PositionRange pos) implements Expr {
    public AggregateExpr {
        grouping = List.copyOf(grouping);
    }

    @Override public ValueType type() { return ValueType.VECTOR; }
    @Override public String toString() { return Printer.print(this); }
}
