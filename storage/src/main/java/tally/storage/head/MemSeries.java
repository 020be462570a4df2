package tally.storage.head;

import java.util.ArrayList;
import java.util.List;
import tally.model.Labels;
import tally.storage.chunk.ChunkEncoder;

/**
 * One series in the head: its open chunk and the sealed chunks not yet written to the store.
 * Every field is guarded by the object's monitor (appends, flushes and query snapshots lock it).
 */
final class MemSeries {
    final long id;
    final Labels labels;

    /** The chunk being appended to; empty (numSamples 0) between chunks. */
    final ChunkEncoder open = new ChunkEncoder();
    /** Exclusive end of the store partition the open chunk belongs to (chunks never cross partitions). */
    long openPartitionEnd = Long.MIN_VALUE;
    /** Sealed chunks waiting for the next flush, oldest first. */
    final List<SealedChunk> pending = new ArrayList<>(1);

    volatile long lastT = Long.MIN_VALUE;
    double lastV;
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

    MemSeries(long id, Labels labels) {
        this.id = id;
        this.labels = labels;
        this.postingSlots = new int[labels.size() + 1];
    }

    boolean hasData() {
        return open.numSamples() > 0 || !pending.isEmpty();
    }

    /** Oldest sample time held in the head, or Long.MAX_VALUE when none. */
    long headMinT() {
        if (!pending.isEmpty()) return pending.get(0).minT();
        return open.numSamples() > 0 ? open.minT() : Long.MAX_VALUE;
    }

    /** Seals the open chunk into the pending list. */
    void sealOpen() {
        if (open.numSamples() == 0) return;
        pending.add(new SealedChunk(open.toBytes(), open.minT(), open.maxT()));
        open.reset();
    }
}
