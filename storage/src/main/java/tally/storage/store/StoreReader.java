package tally.storage.store;

import java.util.List;
import tally.model.Matcher;

/** A read view of the store over a fixed time range; holds the partitions it reads until closed. */
public interface StoreReader extends AutoCloseable {
    /**
     * Series with at least one chunk overlapping the reader's range whose labels match all matchers
     * (a missing label equals ""). Series with equal labels in several blocks come out as one.
     */
    List<StoredSeries> select(List<Matcher> matchers, boolean sorted);

    /** Sorted label names of matching series (all series when no matchers) in partitions overlapping the range. */
    List<String> labelNames(List<Matcher> matchers);

    /** Sorted values of one label over matching series (all series when no matchers) in partitions overlapping the range. */
    List<String> labelValues(String name, List<Matcher> matchers);

    @Override
    void close();
}
