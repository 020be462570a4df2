package tally.storage.head;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 *
 * <p>Moves to the store are serialised ({@link #moves}); a checkpoint runs beside them (idle series keep being
 * retired while a long checkpoint is written). That is safe because the store is synced after the checkpoint's
 * state is written and before it replaces the WAL segments: a chunk that left the head before the state saw its
 * series is then durable in the store, and one that left after it is in the checkpoint too (replay rewrites it,
 * reads de-duplicate). Heap blocks of the store become durable only by that sync (they are sealed).
 *
 * <p>A retired series is logged in the WAL (a RETIRED record written under the retire lock, so no commit
 * interleaves): replay retires it at the same point, and the replayed head holds what the live one held.
 */
public final class HeadFlusher {
    private final Head head;
    /** Held while chunks move from the head to the store and series leave it. */
    private final Object moves = new Object();

    public HeadFlusher(Head head) {
        this.head = head;
    }

    /**
     * @param sealAll seal every open chunk too, so that everything reaches the store (tests use this)
     * @return chunks written to the store
     */
    public int flush(boolean sealAll) throws IOException {
        int written;
        synchronized (moves) {
            written = moveToStore(sealAll, true);
        }
        // Chronicle Map writes survive a process kill at once, heap blocks not at all: sync() seals the heap blocks
        // and makes the maps survive a power loss. It runs after the state is written (see the class comment) and
        // before the checkpoint deletes the WAL segments that also hold those chunks.
        head.wal.checkpoint(this::writeLiveState, head.store::sync);
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
    public int retireIdle() {
        synchronized (moves) {
            return moveToStore(false, true);
        }
    }

    /**
     * WAL replay: moves the replayed head's sealed chunks to the store once they pass the pending budget, so
     * a long WAL is replayed in bounded memory. Retires nothing: only the log's RETIRED records do.
     */
    void movePendingDuringReplay() {
        synchronized (moves) {
            if (head.pendingBytes.get() >= head.opts.memory().headPendingBytes()) moveToStore(false, false);
        }
    }

    /** WAL replay met a RETIRED record: the series' chunks go to the store and it leaves the head, as it did live. */
    void retireReplayed(MemSeries s) {
        synchronized (moves) {
            retireReplayedLocked(s);
        }
    }

    private void retireReplayedLocked(MemSeries s) {
        List<SealedChunk> chunks;
        synchronized (s) {
            if (s.removed) return;
            head.sealOpen(s);
            head.sealOoo(s);
            chunks = new ArrayList<>(s.pending);
            s.removed = true;
        }
        writeToStore(s, chunks);
        synchronized (s) {
            s.pending.clear();
        }
        unlink(s);
    }

    private int moveToStore(boolean sealAll, boolean retireIdle) {
        long newest = head.maxT.get(); // the cutoff and the next retirement point come from the same instant
        long idleBefore = idleCutoff(newest);
        List<MemSeries> retire = new ArrayList<>();
        int[] written = {0};
        head.byId.forEach(s -> {
            List<SealedChunk> chunks;
            synchronized (s) {
                if (s.removed) return;
                if (sealAll || s.lastT < idleBefore) {
                    head.sealOpen(s);
                    head.sealOoo(s);
                }
                if (s.pending.isEmpty()) {
                    if (retireIdle && !s.hasData() && s.lastT < idleBefore) retire.add(s);
                    return;
                }
                chunks = new ArrayList<>(s.pending);
            }
            writeToStore(s, chunks);
            written[0] += chunks.size();
            synchronized (s) {
                // with the removal from pending: an existence check sees a chunk in one place or the other
                for (SealedChunk c : chunks) s.storedMaxT = Math.max(s.storedMaxT, c.maxT());
                s.pending.subList(0, chunks.size()).clear();
                if (retireIdle && !s.hasData() && s.lastT < idleBefore) retire.add(s);
            }
        });
        if (retireIdle) {
            retire(retire, idleBefore);
            long step = Math.max(1, head.opts.idleSeriesMillis() / 4);
            head.nextRetireT = head.neverIdle() ? Long.MAX_VALUE : newest == Long.MIN_VALUE ? Long.MIN_VALUE
                    : newest > Long.MAX_VALUE - step ? Long.MAX_VALUE : newest + step;
        }
        head.stats.chunksFlushed.add(written[0]);
        return written[0];
    }

    /** Writes a series' chunks to the store; their bytes leave the head's pending budget. */
    private void writeToStore(MemSeries s, List<SealedChunk> chunks) {
        long bytes = 0;
        for (SealedChunk c : chunks) {
            head.store.write(s.id, s.labels, c.bytes(), c.minT(), c.maxT());
            bytes += SealedChunk.heapBytes(c);
        }
        head.pendingBytes.addAndGet(-bytes);
    }

    private long idleCutoff(long newest) {
        long idle = head.opts.idleSeriesMillis();
        if (newest == Long.MIN_VALUE) return Long.MIN_VALUE;
        return newest < Long.MIN_VALUE + idle ? Long.MIN_VALUE : newest - idle;
    }

    private void retire(List<MemSeries> candidates, long idleBefore) {
        if (candidates.isEmpty()) return;
        head.retireLock.writeLock().lock();
        try {
            List<MemSeries> gone = new ArrayList<>(candidates.size());
            WalBatch record = new WalBatch();
            for (MemSeries s : candidates) {
                synchronized (s) {
                    // re-check: a sample may have arrived since the candidate was picked
                    if (s.removed || s.hasData() || s.lastT >= idleBefore) continue;
                    s.removed = true;
                }
                gone.add(s);
                if (s.walLogged) record.retired(s.id);
            }
            // no commit is between its WAL write and its head update now (they hold the read side): the record
            // lands after every sample of these series, and replay retires them exactly here
            try {
                head.wal.write(record);
            } catch (IOException e) {
                for (MemSeries s : gone) s.removed = false; // nothing happened: the WAL refuses every write from now on
                throw new UncheckedIOException("WAL write of retired series failed", e);
            }
            for (MemSeries s : gone) unlink(s);
        } finally {
            head.retireLock.writeLock().unlock();
        }
    }

    /** Removes a series marked removed from the head's maps and postings. */
    private void unlink(MemSeries s) {
        head.byLabels.remove(s.labels, s);
        head.byId.remove(s.id);
        head.postings.remove(s);
        head.stats.seriesRemoved.increment();
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
