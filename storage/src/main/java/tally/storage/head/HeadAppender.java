package tally.storage.head;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import tally.model.AppendException;
import tally.model.Appender;
import tally.model.Labels;
import tally.storage.chunk.ChunkIterator;
import tally.storage.wal.WalBatch;

/**
 * Queues samples, checks them against each series' newest sample (older ones against the
 * out-of-order window and for an existing sample at the same time), and on commit writes them to
 * the WAL (the acknowledgement point: after that they survive a process kill) and then into the
 * series' open chunks.
 */
public final class HeadAppender implements Appender {
    private final Head head;
    /** Taken from the head's pool on the first append of a batch, returned at commit/rollback. */
    private AppendBuffers buf;
    private long batchId;
    private Map<SeriesTime, Integer> queuedIndex;
    private final ChunkIterator scratch = new ChunkIterator();
    /** The previous append's series: a caller passing back its ref skips the id lookup. */
    private MemSeries last;

    HeadAppender(Head head) {
        this.head = head;
        this.batchId = head.batchIds.incrementAndGet();
    }

    @Override
    public long append(long ref, Labels labels, long t, double v) {
        MemSeries s = last;
        if (s == null || ref == 0 || s.id != ref) s = head.byRef(ref);
        if (s == null || s.removed) {
            if (labels == null || labels.isEmpty()) throw new AppendException(AppendException.Reason.INVALID_LABELS, "empty label set");
            s = head.getOrCreateWithinLimit(labels);
        }
        long oldest = head.minValidTime();
        if (t < oldest) {
            head.stats.samplesTooOld.increment();
            throw new AppendException(AppendException.Reason.TOO_OLD,
                    "timestamp " + t + " is before the retention window (oldest accepted " + oldest + ")");
        }
        if (!s.storedNewestKnown && head.opts.outOfOrderWindowMillis() > 0) head.resolveStoredNewest(s);
        // the newest time this series has, counting samples already queued in this batch
        long newest = s.pendingBatch == batchId ? s.pendingT : s.lastT;
        if (t <= newest) {
            if (t == newest) {
                double newestV = s.pendingBatch == batchId ? s.pendingV : s.lastV;
                if (sameBits(newestV, v)) return s.id; // identical resend: no-op
                head.stats.samplesDuplicate.increment();
                throw new AppendException(AppendException.Reason.DUPLICATE, s.labels + " @ " + t);
            }
            if (!acceptOutOfOrder(s, t, v, newest)) return s.id; // identical resend of an older sample
            queue(s, t, v);
            return s.id;
        }
        s.pendingBatch = batchId;
        s.pendingT = t;
        s.pendingV = v;
        queue(s, t, v);
        last = s;
        return s.id;
    }

    /**
     * Decides on a sample older than the series' newest: refused outside the out-of-order window,
     * refused as a duplicate when the series has another value at t (queued, in the head or in the
     * store), ignored (false) when it has the same value, else accepted (true).
     */
    private boolean acceptOutOfOrder(MemSeries s, long t, double v, long newest) {
        long floor = head.outOfOrderFloor();
        if (floor == Long.MAX_VALUE) {
            head.stats.samplesOutOfOrder.increment();
            throw new AppendException(AppendException.Reason.OUT_OF_ORDER,
                    s.labels + ": timestamp " + t + " is not after the newest sample at " + newest);
        }
        if (t < floor) {
            head.stats.samplesTooOld.increment();
            throw new AppendException(AppendException.Reason.TOO_OLD, s.labels + ": timestamp " + t
                    + " is older than the out-of-order window (oldest accepted " + floor + ")");
        }
        Integer q = queued().get(new SeriesTime(s, t));
        boolean exists;
        double existing = 0;
        if (q != null) {
            exists = true;
            existing = buf.wal.value(q);
        } else {
            boolean mayBeStored;
            synchronized (s) {
                exists = s.headValueAt(t, scratch);
                existing = s.foundV;
                mayBeStored = t <= s.storedMaxT; // the window's stored data was looked up when the series came
            }
            if (!exists && mayBeStored) {
                Double stored = head.storedValueAt(s.labels, t);
                exists = stored != null;
                if (exists) existing = stored;
            }
        }
        if (!exists) return true;
        if (sameBits(existing, v)) return false;
        head.stats.samplesDuplicate.increment();
        throw new AppendException(AppendException.Reason.DUPLICATE, s.labels + " @ " + t);
    }

    private static boolean sameBits(double a, double b) {
        return Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(b);
    }

    private void queue(MemSeries s, long t, double v) {
        if (buf == null) buf = head.appendBuffers.take();
        int n = buf.size();
        buf.add(s, t, v);
        if (queuedIndex != null) queuedIndex.put(new SeriesTime(s, t), n);
    }

    /** Index of this batch's queued samples by (series, time), built on the first out-of-order sample only. */
    private Map<SeriesTime, Integer> queued() {
        if (queuedIndex == null) {
            queuedIndex = new HashMap<>();
            if (buf != null) for (int i = 0, n = buf.size(); i < n; i++) queuedIndex.put(new SeriesTime(buf.series[i], buf.wal.time(i)), i);
        }
        return queuedIndex;
    }

    private record SeriesTime(MemSeries series, long t) {}

    @Override
    public void commit() {
        if (buf == null || buf.size() == 0) {
            release();
            return;
        }
        AppendBuffers b = buf;
        WalBatch wal = b.wal;
        MemSeries[] series = b.series;
        int n = b.size();
        head.retireLock.readLock().lock();
        try {
            MemSeries prev = null;
            for (int i = 0; i < n; i++) {
                MemSeries s = series[i];
                if (s.removed) { // left the head since append()
                    series[i] = s = head.getOrCreate(s.labels);
                    wal.setSampleId(i, s.id);
                }
                if (s == prev) continue; // samples of one series usually come together
                prev = s;
                if (!s.walLogged && s.loggedInBatch != batchId) {
                    s.loggedInBatch = batchId;
                    wal.series(s.id, s.labels);
                }
            }
            try {
                head.wal.write(wal);
            } catch (IOException e) {
                throw new UncheckedIOException("WAL write failed; batch not acknowledged", e);
            }
            long maxSeen = Long.MIN_VALUE;
            long minSeen = Long.MAX_VALUE;
            int applied = 0;
            // one monitor acquisition per run of samples of the same series
            for (int i = 0; i < n; ) {
                MemSeries s = series[i];
                int end = i + 1;
                while (end < n && series[end] == s) end++;
                if (!s.walLogged) s.walLogged = true; // volatile: write once per series, not per sample
                synchronized (s) {
                    applied += head.appendRunLocked(s, wal, i, end, scratch);
                }
                for (; i < end; i++) {
                    long t = wal.time(i);
                    maxSeen = Math.max(maxSeen, t);
                    minSeen = Math.min(minSeen, t);
                }
            }
            head.stats.samplesAppended.add(applied);
            head.observeTime(maxSeen);
            // after the samples are visible: a cached result computed before them is dropped, not kept
            head.written(minSeen);
        } finally {
            head.retireLock.readLock().unlock();
            release();
        }
        head.afterCommit();
    }

    @Override
    public void rollback() {
        release();
    }

    /** Ends the batch: buffers back to the pool, a new batch id for the next one. */
    private void release() {
        if (buf != null) {
            head.appendBuffers.release(buf);
            buf = null;
        }
        queuedIndex = null;
        last = null;
        batchId = head.batchIds.incrementAndGet();
    }
}
