package tally.promql.ast;

public record StringLiteral(String value, PositionRange pos) implements Expr {
    @Override public ValueType type() { return ValueType.STRING; }
    @Override public String toString() { return Printer.print(this); }
}
