package tally.storage.head;

import tally.model.Labels;
import tally.storage.chunk.ChunkSnapshot;

/**
 * A consistent snapshot of one head series for a query: the sealed chunks waiting for flush and
 * a frozen view of the open chunk (null when empty). Re-iterable.
 */
public record HeadSeries(Labels labels, SealedChunk[] sealed, ChunkSnapshot open, long openMinT, long maxT) {
    static final SealedChunk[] NO_CHUNKS = new SealedChunk[0];

    public int sealedCount() { return sealed.length; }
    public byte[] sealedBytes(int i) { return sealed[i].bytes(); }
    public long sealedMinT(int i) { return sealed[i].minT(); }
    public long sealedMaxT(int i) { return sealed[i].maxT(); }
    public boolean hasOpen() { return open != null; }
    public tally.storage.chunk.ChunkIterator openIterator(tally.storage.chunk.ChunkIterator reuse) { return open.iterator(reuse); }
}
