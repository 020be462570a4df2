package tally.promql.ast;

/** {@code expr[range:step] offset d @ t}; {@code stepMs} is 0 when omitted (the engine's default interval). */
public record SubqueryExpr(Expr expr, long rangeMs, long stepMs, long offsetMs, AtModifier at, PositionRange pos)
        implements Expr {
    @Override public ValueType type() { return ValueType.MATRIX; }
    @Override public String toString() { return Printer.print(this); }
}
