package tally.storage.head;

import tally.model.Labels;
import tally.storage.chunk.ChunkIterator;

/**
 * A consistent snapshot of one head series for a query: the sealed chunks waiting for flush and
 * an iterator over the open chunk as it was when the snapshot was taken (null when empty).
 */
public record HeadSeries(Labels labels, SealedChunk[] sealed, ChunkIterator open, long openMinT, long maxT) {
    static final SealedChunk[] NO_CHUNKS = new SealedChunk[0];

    public int sealedCount() { return sealed.length; }
    public byte[] sealedBytes(int i) { return sealed[i].bytes(); }
    public long sealedMinT(int i) { return sealed[i].minT(); }
    public long sealedMaxT(int i) { return sealed[i].maxT(); }
    public boolean hasOpen() { return open != null; }
    public ChunkIterator openIterator() { return open; }
}
