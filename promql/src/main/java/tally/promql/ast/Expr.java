package tally.promql.ast;

/**
 * A node of the PromQL syntax tree. Nodes are immutable; {@link #toString()} prints valid PromQL
 * that parses back to an equal tree.
 */
public sealed interface Expr permits NumberLiteral, StringLiteral, VectorSelector, MatrixSelector,
        SubqueryExpr, Call, AggregateExpr, BinaryExpr, UnaryExpr, ParenExpr, StepInvariantExpr {
    /** The static type of the value this expression produces. */
    ValueType type();

    PositionRange pos();
}
