package tally.promql.ast;

/**
 * {@code lhs op [bool] [on|ignoring(..)] [group_left|group_right(..)] rhs}. {@code matching} is
 * non-null only when both sides are instant vectors. The type is scalar only when both sides are.
 */
public record BinaryExpr(BinaryOp op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool,
                         PositionRange pos) implements Expr {
    @Override
    public ValueType type() {
        return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR ? ValueType.SCALAR : ValueType.VECTOR;
    }

    @Override public String toString() { return Printer.print(this); }
}
