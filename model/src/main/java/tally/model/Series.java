package tally.model;

/** One series as returned by a {@link Querier}: its labels and a way to walk its samples. */
public interface Series {
    Labels labels();

    /**
     * An iterator over the samples within the querier's time range. {@code reuse} may be an
     * iterator returned earlier by any series of the same querier; implementations recycle it
     * when they can, to keep iteration allocation-free. Pass null to get a new one.
     */
    SampleIterator iterator(SampleIterator reuse);
}
