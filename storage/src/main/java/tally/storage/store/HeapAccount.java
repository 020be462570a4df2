package tally.storage.store;

import java.util.concurrent.atomic.AtomicLong;
import tally.model.Labels;

/**
 * A heap block's estimated heap use, added to the store-wide total of heap blocks not yet sealed. The store
 * bounds that total (StoreOptions.heapBlocksBytes): the estimate has to follow what the heap really holds, so it
 * counts the in-memory index too, which for Claude Code's many short series is most of a block.
 */
final class HeapAccount {
    /** A chunk in the heap map beyond its bytes: array header, map node, boxed key, its slot in the series' lists. */
    private static final int CHUNK_OVERHEAD = 84;
    /** A series of the in-memory index beyond its labels: the series record and its arrays, the map node. */
    private static final int SERIES_OVERHEAD = 180;

    private final AtomicLong total;
    private final AtomicLong mine = new AtomicLong();
    private volatile boolean released;

    HeapAccount(AtomicLong total) {
        this.total = total;
    }

    /** Adds to this block's estimate (and the total, while the block is in the heap); returns the block's estimate. */
    long add(long bytes) {
        if (!released) total.addAndGet(bytes);
        return mine.addAndGet(bytes);
    }

    long bytes() {
        return mine.get();
    }

    /** The block left the heap (sealed, spilled to maps, closed): its share leaves the total, once. */
    synchronized void release() {
        if (released) return;
        released = true;
        total.addAndGet(-mine.get());
    }

    static long chunkBytes(byte[] storedValue) {
        return storedValue.length + CHUNK_OVERHEAD;
    }

    /** A new series: its record, postings entries and its labels (counted whole, though values may be shared). */
    static long seriesBytes(Labels labels) {
        long bytes = SERIES_OVERHEAD + 24L * labels.size();
        for (int i = 0; i < labels.size(); i++) bytes += 24 + labels.value(i).length();
        return bytes;
    }
}
