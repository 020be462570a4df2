package tally.promql.test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tally.model.Labels;

/**
 * An {@code eval instant|range} command with everything its block expects. Built by
 * {@link ScriptParser}; read-only afterwards.
 */
public final class EvalCommand implements Command {
    /** An expected series: its result-line position (1-based, for {@code ordered}) and values. */
    public record ExpectedSeries(int position, int line, List<SeqValue> values) {}

    final int line;
    final String expr;
    final boolean range;
    long start;     // range start, or an instant eval's time
    long end;       // range end (instant: only with expect range vector)
    long step;      // range step (instant: only with expect range vector)
    long evalTime;  // when an instant eval runs (expect range vector moves it to its end)

    boolean legacyFail;
    boolean legacyWarn;
    boolean legacyInfo;
    boolean legacyOrdered;
    String legacyFailMessage;
    Pattern legacyFailRegexp;

    final List<ExpectLine> fail = new ArrayList<>();
    final List<ExpectLine> warn = new ArrayList<>();
    final List<ExpectLine> info = new ArrayList<>();
    boolean noWarn;
    boolean noInfo;
    boolean orderedExpect;
    boolean expectRangeVector;
    String expectedString; // null unless expect string

    Double expectedScalar; // set by a bare number line
    final Map<Labels, ExpectedSeries> expected = new LinkedHashMap<>();
    boolean histogramExpected;

    EvalCommand(int line, String expr, boolean range) {
        this.line = line;
        this.expr = expr;
        this.range = range;
    }

    @Override public int line() { return line; }
    public String expr() { return expr; }
    public boolean isRange() { return range; }
    public long start() { return start; }
    public long end() { return end; }
    public long step() { return step; }
    public long evalTime() { return evalTime; }

    public boolean expectsFailure() { return legacyFail || !fail.isEmpty(); }
    public boolean isOrdered() { return legacyOrdered || orderedExpect; }
    public boolean expectsScalar() { return expectedScalar != null; }
    public boolean expectsRangeVector() { return expectRangeVector; }
    public String expectedString() { return expectedString; }
    public Double expectedScalar() { return expectedScalar; }
    public Map<Labels, ExpectedSeries> expected() { return expected; }
    /** Expected values include native-histogram literals. */
    public boolean histogramExpected() { return histogramExpected; }

    /** Instant evals are also re-run as range queries unless they expect a range vector or a string. */
    boolean excludedFromRangeMode() { return expectRangeVector || expectedString != null; }
}
