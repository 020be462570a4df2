package tally.storage.store;

import tally.model.Labels;

/** One series as persisted: its labels and its chunks, possibly gathered from several blocks. */
public interface StoredSeries {
    Labels labels();

    /** Chunks overlapping [mint, maxt], in time order (by minT). */
    ChunkCursor chunks(long mint, long maxt);

    /** Whether two chunks overlapping [mint, maxt] share time (readers must then merge, not concatenate). */
    boolean chunksOverlap(long mint, long maxt);

    /** Newest maxT of the chunks overlapping [mint, maxt], or Long.MIN_VALUE when there are none. */
    long chunksMaxT(long mint, long maxt);
}
