package tally.promql.ast;

/**
 * Marks a subtree whose value is the same at every step of a range query (it only uses
 * {@code @}-pinned selectors and literals), so the engine evaluates it once. Inserted by the
 * engine's pre-processing, never by the parser; prints as its inner expression.
 */
public record StepInvariantExpr(Expr expr, PositionRange pos) implements Expr {
    @Override public ValueType type() { return expr.type(); }
    @Override public String toString() { return expr.toString(); }
}
