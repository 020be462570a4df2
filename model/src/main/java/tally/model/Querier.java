package tally.model;

import java.util.List;

/**
 * Reads series over one time range [mint, maxt] (milliseconds, both inclusive), fixed when the
 * querier was opened. A querier sees a consistent view and must be closed.
 */
public interface Querier extends AutoCloseable {
    /**
     * Series whose labels match all matchers and that have samples in [mint, maxt] of this
     * querier. At least one matcher must not match the empty string.
     *
     * @param sorted whether the caller needs series ordered by {@link Labels#compareTo}
     * @param hints  narrower time range for this selection (may be null: use the querier's)
     */
    SeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers);

    /**
     * Sorted label names of series matching all matchers (all series when none) that have samples in [mint, maxt]
     * of this querier: a series counts when one of its chunks overlaps the range, so a range without data has none.
     */
    List<String> labelNames(List<Matcher> matchers);

    /** Sorted values of one label over series matching all matchers (all series when none), as {@link #labelNames}. */
    List<String> labelValues(String name, List<Matcher> matchers);

    @Override
    void close();
}
