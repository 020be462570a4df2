package tally.storage.head;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import tally.storage.chunk.ChunkIterator;
import tally.storage.wal.WalBatch;

/**
 * Moves sealed chunks (in-order and out-of-order ones, which may overlap) from the head to the
 * store, retires idle series, then checkpoints the WAL
 * with what is still only in the head. The order makes every acknowledged sample always be in
 * the store, in the checkpoint, or in a WAL segment after it: chunks are written to the store
 * before the checkpoint that drops their segments, and the checkpoint holds every sample the
 * store does not (a crash between the two only re-writes some chunks, which reads de-duplicate).
 */
public final class HeadFlusher {
    private final Head head;
    /** Chunks were written to the store since its last sync. */
    private boolean unsynced;

    public HeadFlusher(Head head) {
        this.head = head;
    }

    /**
     * @param sealAll seal every open chunk too, so that everything reaches the store (tests use this)
     * @return chunks written to the store
     */
    public synchronized int flush(boolean sealAll) throws IOException {
        int written = moveToStore(sealAll);
        // Chronicle Map writes survive a process kill at once, but only sync() makes them survive a
        // power loss: do it before the checkpoint deletes the WAL segments that also hold them
        if (unsynced) {
            head.store.sync();
            unsynced = false;
        }
        head.wal.checkpoint(this::writeLiveState);
        head.clockFile.save(head.maxT.get());
        head.stats.flushes.increment();
        return written;
    }

    /**
     * Moves sealed and idle series' chunks to the store and retires idle series, without syncing the
     * store or checkpointing the WAL. During a backfill, data time runs far ahead of the wall clock:
     * this keeps the head to the series of the last hours of data instead of every series since the
     * last (wall-clock) flush. Every sample stays in the WAL until the next {@link #flush}.
     *
     * @return chunks written to the store
     */
    public synchronized int retireIdle() {
        return moveToStore(false);
    }

    private int moveToStore(boolean sealAll) {
        long idleBefore = idleCutoff();
        List<MemSeries> retire = new ArrayList<>();
        int[] written = {0};
        head.byId.forEach(s -> {
            List<SealedChunk> chunks;
            synchronized (s) {
                if (s.removed) return;
                if (sealAll || s.lastT < idleBefore) {
                    s.sealOpen();
                    head.sealOoo(s);
                }
                if (s.pending.isEmpty()) {
                    if (!s.hasData() && s.lastT < idleBefore) retire.add(s);
                    return;
                }
                chunks = new ArrayList<>(s.pending);
            }
            for (SealedChunk c : chunks) head.store.write(s.id, s.labels, c.bytes(), c.minT(), c.maxT());
            written[0] += chunks.size();
            synchronized (s) {
                // with the removal from pending: an existence check sees a chunk in one place or the other
                for (SealedChunk c : chunks) s.storedMaxT = Math.max(s.storedMaxT, c.maxT());
                s.pending.subList(0, chunks.size()).clear();
                if (!s.hasData() && s.lastT < idleBefore) retire.add(s);
            }
        });
        retire(retire, idleBefore);
        if (written[0] > 0) unsynced = true;
        head.stats.chunksFlushed.add(written[0]);
        return written[0];
    }

    private long idleCutoff() {
        long newest = head.maxT.get();
        long idle = head.opts.idleSeriesMillis();
        if (newest == Long.MIN_VALUE) return Long.MIN_VALUE;
        return newest < Long.MIN_VALUE + idle ? Long.MIN_VALUE : newest - idle;
    }

    private void retire(List<MemSeries> candidates, long idleBefore) {
        if (candidates.isEmpty()) return;
        head.retireLock.writeLock().lock();
        try {
            for (MemSeries s : candidates) {
                synchronized (s) {
                    // re-check: a sample may have arrived since the candidate was picked
                    if (s.removed || s.hasData() || s.lastT >= idleBefore) continue;
                    s.removed = true;
                }
                head.byLabels.remove(s.labels, s);
                head.byId.remove(s.id);
                head.postings.remove(s);
                head.stats.seriesRemoved.increment();
            }
        } finally {
            head.retireLock.writeLock().unlock();
        }
    }

    /** Every live series and every sample not yet in the store, for the WAL checkpoint. */
    private void writeLiveState(WalBatch out) {
        // The WAL has rotated before calling us. A commit holds the read side from its WAL write until
        // its samples are in the head, so passing through the write side waits until every batch that
        // went to a pre-rotation segment (deleted after this checkpoint) is in the head we snapshot.
        head.retireLock.writeLock().lock();
        head.retireLock.writeLock().unlock();
        ChunkIterator it = new ChunkIterator();
        head.byId.forEach(s -> {
            synchronized (s) {
                if (s.removed) return;
                out.series(s.id, s.labels);
                for (SealedChunk c : s.pending) {
                    it.reset(c.bytes(), 0, c.bytes().length);
                    while (it.next()) out.sample(s.id, it.atT(), it.atV());
                }
                if (s.open.numSamples() > 0) {
                    ChunkIterator open = s.open.iterator(it);
                    while (open.next()) out.sample(s.id, open.atT(), open.atV());
                }
                // older than the series' newest: replay puts them back into the out-of-order buffer
                if (s.ooo != null && s.ooo.size() > 0) {
                    SealedChunk buffered = s.ooo.snapshot();
                    it.reset(buffered.bytes(), 0, buffered.bytes().length);
                    while (it.next()) out.sample(s.id, it.atT(), it.atV());
                }
            }
        });
    }
}
