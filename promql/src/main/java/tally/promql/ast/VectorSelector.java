package tally.promql.ast;

import java.util.List;
import tally.model.Matcher;

/**
 * {@code name{matchers} offset d @ t}. {@code name} is null when only braces were written;
 * {@code matchers} always holds every matcher, including the {@code __name__} one the name implies.
 * {@code offsetMs} may be negative; {@code at} is null when absent.
 */
public record VectorSelector(String name, List<Matcher> matchers, long offsetMs, AtModifier at, PositionRange pos)
        implements Expr {
    public VectorSelector {
        matchers = List.copyOf(matchers);
    }

    @Override public ValueType type() { return ValueType.VECTOR; }
    @Override public String toString() { return Printer.print(this); }
}
