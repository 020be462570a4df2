package tally.storage.head;

import java.util.ArrayList;
import java.util.List;
import tally.model.Labels;
import tally.storage.chunk.ChunkEncoder;
import tally.storage.chunk.ChunkIterator;

/**
 * One series in the head: its open chunk, its out-of-order buffer and the sealed chunks not yet
 * written to the store. Every field is guarded by the object's monitor (appends, flushes and query
 * snapshots lock it).
 */
final class MemSeries {
    /** Out-of-order samples kept per series before they are sealed into a chunk of their own. */
    static final int OOO_CAPACITY = 32;

    final long id;
    final Labels labels;

    /** The chunk being appended to; empty (numSamples 0) between chunks. */
    final ChunkEncoder open = new ChunkEncoder();
    /** Exclusive end of the store partition the open chunk belongs to (chunks never cross partitions). */
    long openPartitionEnd = Long.MIN_VALUE;
    /** Sealed chunks waiting for the next flush, in sealing order: out-of-order chunks overlap others. */
    final List<SealedChunk> pending = new ArrayList<>(1);
    /** Samples older than lastT, sorted by time; null until the series gets its first one. */
    OooBuffer ooo;

    /**
     * Newest sample time of the series: of the open chunk, or (out-of-order window on, head empty) of
     * the store; see {@link Head#resolveStoredNewest}.
     */
    volatile long lastT = Long.MIN_VALUE;
    double lastV;
    /** Whether the store was asked for this series' newest sample (or need not be). */
    volatile boolean storedNewestKnown;
    /**
     * Newest time the store may hold for this series inside the out-of-order window: what that
     * look-up found, raised by every chunk flushed since. Existence checks of newer timestamps
     * skip the store.
     */
    long storedMaxT = Long.MIN_VALUE;
    /** Set once the series has left the head; appenders holding a stale reference re-resolve. */
    volatile boolean removed;
    /** Whether a WAL record with this series' labels has been written (samples may then refer to its id). */
    volatile boolean walLogged;

    // Appender bookkeeping, written without the monitor: two appenders racing on one series only
    // weaken the early out-of-order check; the commit re-checks under the monitor.
    long pendingBatch;
    long pendingT;
    double pendingV;
    long loggedInBatch;

    /** This series' slot in each head postings list (by label position; last = all-series list). */
    final int[] postingSlots;

    /** Value found by the last successful {@link #headValueAt} (monitor held, so no race). */
    double foundV;

    MemSeries(long id, Labels labels) {
        this.id = id;
        this.labels = labels;
        this.postingSlots = new int[labels.size() + 1];
    }

    boolean hasData() {
        return open.numSamples() > 0 || !pending.isEmpty() || (ooo != null && ooo.size() > 0);
    }

    /**
     * Whether a chunk the head holds for this series overlaps [mint, maxt]: the open chunk, a sealed one waiting for
     * the store, the out-of-order buffer. Chunk ranges, not the series' whole span: a gap between two chunks holds
     * no data, as for a block's chunks in the store.
     */
    boolean hasDataIn(long mint, long maxt) {
        if (open.numSamples() > 0 && open.minT() <= maxt && open.maxT() >= mint) return true;
        for (int i = 0, n = pending.size(); i < n; i++) {
            SealedChunk c = pending.get(i);
            if (c.minT() <= maxt && c.maxT() >= mint) return true;
        }
        return ooo != null && ooo.size() > 0 && ooo.minT() <= maxt && ooo.maxT() >= mint;
    }

    /** Seals the open chunk (not empty) into the pending list; use {@link Head#sealOpen}, which accounts for it. */
    SealedChunk sealOpen() {
        SealedChunk c = new SealedChunk(open.toBytes(), open.minT(), open.maxT());
        pending.add(c);
        open.reset();
        return c;
    }

    /**
     * Whether the head holds a sample at exactly t; its value is then in {@link #foundV}. Decodes
     * only chunks whose range covers t (out-of-order path only, never on in-order appends).
     */
    boolean headValueAt(long t, ChunkIterator it) {
        if (t == lastT && lastT != Long.MIN_VALUE) {
            foundV = lastV;
            return true;
        }
        if (ooo != null) {
            int i = ooo.indexOf(t);
            if (i >= 0) {
                foundV = ooo.valueAt(i);
                return true;
            }
        }
        if (open.numSamples() > 0 && t >= open.minT() && t <= open.maxT() && valueIn(open.iterator(it), t)) return true;
        for (int i = 0, n = pending.size(); i < n; i++) {
            SealedChunk c = pending.get(i);
            if (t < c.minT() || t > c.maxT()) continue;
            if (valueIn(it.reset(c.bytes(), 0, c.bytes().length), t)) return true;
        }
        return false;
    }

    private boolean valueIn(ChunkIterator it, long t) {
        if (it.seek(t) && it.atT() == t) {
            foundV = it.atV();
            return true;
        }
        return false;
    }
}
