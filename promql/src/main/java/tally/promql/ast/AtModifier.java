package tally.promql.ast;

/** The {@code @} modifier: a fixed timestamp (ms), or the query's start() or end(). */
public record AtModifier(Kind kind, long timestampMs) {
    public enum Kind { TIMESTAMP, START, END }

    public static final AtModifier START = new AtModifier(Kind.START, 0);
    public static final AtModifier END = new AtModifier(Kind.END, 0);

    public static AtModifier at(long timestampMs) { return new AtModifier(Kind.TIMESTAMP, timestampMs); }
}
