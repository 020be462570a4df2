package tally.promql.ast;

public record ParenExpr(Expr expr, PositionRange pos) implements Expr {
    @Override public ValueType type() { return expr.type(); }
    @Override public String toString() { return Printer.print(this); }
}
