package tally.model;

/**
 * Adds samples as one batch: nothing is visible or durable until {@link #commit()} returns,
 * and {@link #rollback()} discards the batch. Not thread-safe: one appender per writer.
 */
public interface Appender {
    /**
     * Queues one sample. {@code ref} is the value a previous append returned for the same labels
     * (a cache hint, 0 when unknown); the return value is the series reference to pass next time.
     *
     * @throws AppendException when the sample is refused (out of order, duplicate, invalid labels,
     *         limits); the rest of the batch is unaffected and may still be committed
     */
    long append(long ref, Labels labels, long t, double v);

    /** Makes the batch durable per the fsync policy and visible to queries. */
    void commit();

    /** Drops the queued batch. */
    void rollback();
}
