package tally.model;

/**
 * Walks the float samples of one series in increasing time order. Allocation-free by contract:
 * callers read {@link #atT()}/{@link #atV()} after a successful {@link #next()} or {@link #seek(long)}.
 * Errors (corrupt chunk, I/O) surface as unchecked exceptions.
 */
public interface SampleIterator {
    /** Advances to the next sample; false when exhausted. */
    boolean next();

    /**
     * Advances to the first sample with timestamp >= t (never moves backwards: if the current
     * sample already satisfies it, stays). False when no such sample exists.
     */
    boolean seek(long t);

    /** Timestamp in milliseconds of the current sample. */
    long atT();

    /** Value of the current sample (stale markers are {@link StaleNaN#VALUE}, bit-exact). */
    double atV();

    SampleIterator EMPTY = new SampleIterator() {
        @Override public boolean next() { return false; }
        @Override public boolean seek(long t) { return false; }
        @Override public long atT() { throw new IllegalStateException("empty iterator"); }
        @Override public double atV() { throw new IllegalStateException("empty iterator"); }
    };
}
