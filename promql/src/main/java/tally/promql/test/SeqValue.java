package tally.promql.test;

import tally.model.StaleNaN;

/** One position of an expanded value sequence: a float, nothing ({@code _}), or a native histogram. */
public record SeqValue(Kind kind, double value) {
    public enum Kind { FLOAT, OMITTED, HISTOGRAM }

    public static final SeqValue OMITTED = new SeqValue(Kind.OMITTED, 0);
    /** Histogram values are only recognised (so positions line up), never interpreted. */
    public static final SeqValue HISTOGRAM = new SeqValue(Kind.HISTOGRAM, 0);

    public static SeqValue of(double v) { return new SeqValue(Kind.FLOAT, v); }

    public boolean isFloat() { return kind == Kind.FLOAT; }

    @Override
    public String toString() {
        return switch (kind) {
            case FLOAT -> StaleNaN.is(value) ? "stale" : GoNumbers.format(value);
            case OMITTED -> "_";
            case HISTOGRAM -> "{{histogram}}";
        };
    }
}
