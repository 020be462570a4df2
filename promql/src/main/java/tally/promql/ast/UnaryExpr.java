package tally.promql.ast;

/** Unary {@code -expr} ({@code negate}) or {@code +expr}. */
public record UnaryExpr(boolean negate, Expr expr, PositionRange pos) implements Expr {
    @Override public ValueType type() { return expr.type(); }
    @Override public String toString() { return Printer.print(this); }
}
