package tally.promql.ast;

public record NumberLiteral(double value, PositionRange pos) implements Expr {
    @Override public ValueType type() { return ValueType.SCALAR; }
    @Override public String toString() { return Printer.print(this); }
}
