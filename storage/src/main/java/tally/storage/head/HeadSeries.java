package tally.storage.head;

import tally.model.Labels;
import tally.storage.chunk.ChunkSnapshot;

/**
 * A consistent snapshot of one head series for a query: the sealed chunks waiting for flush
 * (including the out-of-order buffer as one chunk), sorted by minT, and a frozen view of the open
 * chunk (null when empty). {@link #overlapping()} tells whether any two of them share time.
 * Re-iterable.
 */
public record HeadSeries(Labels labels, SealedChunk[] sealed, ChunkSnapshot open, long openMinT, long maxT,
        boolean overlapping) {
    static final SealedChunk[] NO_CHUNKS = new SealedChunk[0];

    /** Sorts the (owned) sealed array by minT and detects overlaps among all chunks. */
    public static HeadSeries of(Labels labels, SealedChunk[] sealed, ChunkSnapshot open, long openMinT, long maxT) {
        sortByMinT(sealed);
        boolean overlap = false;
        long reach = Long.MIN_VALUE; // newest maxT seen so far
        for (SealedChunk c : sealed) {
            if (c.minT() <= reach) overlap = true;
            reach = Math.max(reach, c.maxT());
        }
        if (open != null && openMinT <= reach) overlap = true;
        return new HeadSeries(labels, sealed, open, openMinT, maxT, overlap);
    }

    /** Insertion sort: pending chunks are in order unless out-of-order chunks were sealed among them. */
    private static void sortByMinT(SealedChunk[] a) {
        for (int i = 1; i < a.length; i++) {
            SealedChunk c = a[i];
            int j = i - 1;
            while (j >= 0 && a[j].minT() > c.minT()) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = c;
        }
    }

    /** Oldest sample time of the snapshot. */
    public long minT() {
        long min = open != null ? openMinT : Long.MAX_VALUE;
        return sealed.length > 0 ? Math.min(min, sealed[0].minT()) : min;
    }

    public int sealedCount() { return sealed.length; }
    public byte[] sealedBytes(int i) { return sealed[i].bytes(); }
    public long sealedMinT(int i) { return sealed[i].minT(); }
    public long sealedMaxT(int i) { return sealed[i].maxT(); }
    public boolean hasOpen() { return open != null; }
    /** Newest sample of the open chunk (maxT may be newer: a stored sample the series' newest came from). */
    public long openMaxT() { return open.maxT(); }
    public tally.storage.chunk.ChunkIterator openIterator(tally.storage.chunk.ChunkIterator reuse) { return open.iterator(reuse); }
}
