package tally.promql.ast;

/** Character offsets [start, end) of a node in the query text, for error messages. */
public record PositionRange(int start, int end) {
    public static final PositionRange NONE = new PositionRange(0, 0);
}
