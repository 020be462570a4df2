package tally.storage.index;

/**
 * A sorted, duplicate-free stream of series ids (Prometheus's postings). Starts before the first id.
 * {@link #seek} never moves backwards: when the current id is already >= target it stays.
 */
public interface PostingsIterator {
    /** Moves to the next id; false when exhausted. */
    boolean next();

    /** Moves to the first id >= target; false when there is none. */
    boolean seek(int target);

    /** The current id; valid only after next() or seek() returned true. */
    int at();
}
