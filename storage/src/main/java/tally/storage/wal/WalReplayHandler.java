package tally.storage.wal;

import tally.model.Labels;

/** Receives the WAL's content in write order during {@link Wal#replay}. A series comes before its samples. */
public interface WalReplayHandler {
    void series(long seriesId, Labels labels);

    void sample(long seriesId, long t, double v);

    /** The series left the head at this point of the log; its id is not used again. */
    default void retired(long seriesId) {}
}
