package tally.storage.head;

import java.util.Arrays;
import tally.storage.wal.WalBatch;

/**
 * One appender's queued samples: the series of each sample next to the WAL batch that holds its
 * id, time and value (one copy, read back by index at commit). Reused across requests through
 * {@link Pool}, so a request does not allocate and grow fresh arrays for every batch.
 */
final class AppendBuffers {
    /** Buffers that grew past this many samples are dropped when released (one huge request must not pin them). */
    static final int MAX_POOLED_SAMPLES = 1 << 16;

    MemSeries[] series = new MemSeries[256];
    WalBatch wal = new WalBatch();
    /** Whether an appender holds these buffers (volatile: a commit may release them on another thread). */
    volatile boolean inUse;

    int size() {
        return wal.samples();
    }

    void add(MemSeries s, long t, double v) {
        int n = wal.samples();
        if (n == series.length) series = Arrays.copyOf(series, n * 2);
        series[n] = s;
        wal.sample(s.id, t, v);
    }

    void clear() {
        Arrays.fill(series, 0, wal.samples(), null); // do not pin series that leave the head
        wal.clear();
    }

    /** One set of buffers per thread; a second appender open on the same thread gets fresh ones. */
    static final class Pool {
        private final ThreadLocal<AppendBuffers> perThread = ThreadLocal.withInitial(AppendBuffers::new);

        AppendBuffers take() {
            AppendBuffers b = perThread.get();
            if (b.inUse) return new AppendBuffers();
            b.inUse = true;
            return b;
        }

        void release(AppendBuffers b) {
            b.clear();
            if (b.wal.sampleCapacity() > MAX_POOLED_SAMPLES) {
                b.series = new MemSeries[256];
                b.wal = new WalBatch();
            }
            b.inUse = false;
        }
    }
}
