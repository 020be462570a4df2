package tally.storage.store;

import tally.model.Labels;

/** One series as persisted: its labels and its chunks, possibly gathered from several blocks. */
public interface StoredSeries {
    /** The series' labels; a selection may build them only here, so a caller keeps what it needs. */
    Labels labels();

    /** {@link tally.storage.index.LabelsOrder#hash} of the labels, which a selection may know without building them. */
    default int labelsHash() {
        return tally.storage.index.LabelsOrder.hash(labels());
    }

    /** Chunks overlapping [mint, maxt], in time order (by minT). */
    ChunkCursor chunks(long mint, long maxt);

    /** As {@link #chunks(long, long)}, recycling {@code reuse} (a cursor an earlier call returned, or null) when it can. */
    default ChunkCursor chunks(long mint, long maxt, ChunkCursor reuse) {
        return chunks(mint, maxt);
    }

    /** Whether two chunks overlapping [mint, maxt] share time (readers must then merge, not concatenate). */
    boolean chunksOverlap(long mint, long maxt);

    /** Newest maxT of the chunks overlapping [mint, maxt], or Long.MIN_VALUE when there are none. */
    long chunksMaxT(long mint, long maxt);
}
