package tally.storage.head;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import tally.model.AppendException;
import tally.model.Appender;
import tally.model.Labels;
import tally.storage.wal.WalBatch;

/**
 * Queues samples, checks them against each series' newest sample, and on commit writes them to
 * the WAL (the acknowledgement point: after that they survive a process kill) and then into the
 * series' open chunks.
 */
public final class HeadAppender implements Appender {
    private final Head head;
    private final WalBatch walBatch = new WalBatch();
    private MemSeries[] refs = new MemSeries[256];
    private long[] ts = new long[256];
    private double[] vs = new double[256];
    private int n;
    private long batchId;

    HeadAppender(Head head) {
        this.head = head;
        this.batchId = head.batchIds.incrementAndGet();
    }

    @Override
    public long append(long ref, Labels labels, long t, double v) {
        MemSeries s = head.byRef(ref);
        if (s == null || s.removed) {
            if (labels == null || labels.isEmpty()) throw new AppendException(AppendException.Reason.INVALID_LABELS, "empty label set");
            s = head.getOrCreate(labels);
        }
        long oldest = head.minValidTime();
        if (t < oldest) {
            head.stats.samplesTooOld.increment();
            throw new AppendException(AppendException.Reason.TOO_OLD,
                    "timestamp " + t + " is before the retention window (oldest accepted " + oldest + ")");
        }
        // the newest time this series has, counting samples already queued in this batch
        long newest = s.pendingBatch == batchId ? s.pendingT : s.lastT;
        if (t <= newest) {
            if (t == newest) {
                double newestV = s.pendingBatch == batchId ? s.pendingV : s.lastV;
                if (Double.doubleToRawLongBits(newestV) == Double.doubleToRawLongBits(v)) return s.id; // identical resend: no-op
                head.stats.samplesDuplicate.increment();
                throw new AppendException(AppendException.Reason.DUPLICATE, s.labels + " @ " + t);
            }
            head.stats.samplesOutOfOrder.increment();
            throw new AppendException(AppendException.Reason.OUT_OF_ORDER,
                    s.labels + ": timestamp " + t + " is not after the newest sample at " + newest);
        }
        s.pendingBatch = batchId;
        s.pendingT = t;
        s.pendingV = v;
        if (n == refs.length) grow();
        refs[n] = s;
        ts[n] = t;
        vs[n] = v;
        n++;
        return s.id;
    }

    @Override
    public void commit() {
        if (n == 0) {
            nextBatch();
            return;
        }
        head.retireLock.readLock().lock();
        try {
            walBatch.clear();
            for (int i = 0; i < n; i++) {
                MemSeries s = refs[i];
                if (s.removed) refs[i] = s = head.getOrCreate(s.labels); // left the head since append()
                if (!s.walLogged && s.loggedInBatch != batchId) {
                    s.loggedInBatch = batchId;
                    walBatch.series(s.id, s.labels);
                }
                walBatch.sample(s.id, ts[i], vs[i]);
            }
            try {
                head.wal.write(walBatch);
            } catch (IOException e) {
                throw new UncheckedIOException("WAL write failed; batch not acknowledged", e);
            }
            long maxSeen = Long.MIN_VALUE;
            int applied = 0;
            for (int i = 0; i < n; i++) {
                MemSeries s = refs[i];
                s.walLogged = true;
                synchronized (s) {
                    if (head.appendLocked(s, ts[i], vs[i])) applied++;
                }
                if (ts[i] > maxSeen) maxSeen = ts[i];
            }
            head.stats.samplesAppended.add(applied);
            head.observeTime(maxSeen);
        } finally {
            head.retireLock.readLock().unlock();
            clearRefs();
            nextBatch();
        }
    }

    @Override
    public void rollback() {
        clearRefs();
        nextBatch();
    }

    private void nextBatch() {
        batchId = head.batchIds.incrementAndGet();
    }

    private void clearRefs() {
        Arrays.fill(refs, 0, n, null);
        n = 0;
        walBatch.clear();
    }

    private void grow() {
        int cap = refs.length * 2;
        refs = Arrays.copyOf(refs, cap);
        ts = Arrays.copyOf(ts, cap);
        vs = Arrays.copyOf(vs, cap);
    }
}
