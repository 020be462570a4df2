package tally.storage.store;

import tally.model.Labels;

/** One series as persisted: its labels and its chunks, possibly gathered from several blocks. */
public interface StoredSeries {
    Labels labels();

    /** Chunks overlapping [mint, maxt], in time order (by minT). */
    ChunkCursor chunks(long mint, long maxt);
}
