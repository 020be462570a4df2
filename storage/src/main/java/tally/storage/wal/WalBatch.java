package tally.storage.wal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import tally.model.Labels;

/** Records queued by one writer; reused after clear(). Not thread-safe. */
public final class WalBatch {
    /** Receives a batch that reached its flush size (used by checkpoints to stream state in pieces). */
    interface Flusher {
        void flush(WalBatch batch) throws IOException;
    }

    private long[] seriesIds = new long[16];
    private Labels[] seriesLabels = new Labels[16];
    private int seriesCount;

    private long[] sampleIds = new long[256];
    private long[] sampleTimes = new long[256];
    private long[] sampleBits = new long[256];
    private int sampleCount;

    private long[] retiredIds = new long[16];
    private int retiredCount;

    private final Flusher flusher;
    private final int flushAt;

    public WalBatch() {
        this(null, Integer.MAX_VALUE);
    }

    /** A batch that hands itself to {@code flusher} and clears itself whenever it holds {@code flushAt} records. */
    WalBatch(Flusher flusher, int flushAt) {
        this.flusher = flusher;
        this.flushAt = flushAt;
    }

    /** A new series' id and labels. */
    public void series(long seriesId, Labels labels) {
        if (labels == null) throw new NullPointerException("labels");
        if (seriesCount == seriesIds.length) {
            seriesIds = Arrays.copyOf(seriesIds, seriesCount * 2);
            seriesLabels = Arrays.copyOf(seriesLabels, seriesCount * 2);
        }
        seriesIds[seriesCount] = seriesId;
        seriesLabels[seriesCount] = labels;
        seriesCount++;
        if (seriesCount + sampleCount >= flushAt) autoFlush();
    }

    public void sample(long seriesId, long t, double v) {
        int n = sampleCount;
        if (n == sampleIds.length) growSamples();
        sampleIds[n] = seriesId;
        sampleTimes[n] = t;
        sampleBits[n] = Double.doubleToRawLongBits(v); // raw: NaN payloads (stale markers) stay bit-exact
        sampleCount = n + 1;
        if (seriesCount + sampleCount >= flushAt) autoFlush();
    }

    /**
     * A series that left the head: no sample refers to its id after this record. Replay retires it at the same
     * point of the log, so the replayed head holds what the live one held there (docs/durability.md).
     */
    public void retired(long seriesId) {
        if (retiredCount == retiredIds.length) retiredIds = Arrays.copyOf(retiredIds, retiredCount * 2);
        retiredIds[retiredCount++] = seriesId;
    }

    public int size() { return seriesCount + sampleCount + retiredCount; }

    /** Queued samples; the appender reads them back by index instead of keeping its own copy. */
    public int samples() { return sampleCount; }

    public long time(int i) { return sampleTimes[i]; }

    public double value(int i) { return Double.longBitsToDouble(sampleBits[i]); }

    /** Re-points a queued sample at another series id (its series was re-created before commit). */
    public void setSampleId(int i, long seriesId) { sampleIds[i] = seriesId; }

    /** Array capacity in samples: lets a pool drop batches that grew for one huge request. */
    public int sampleCapacity() { return sampleIds.length; }

    public boolean isEmpty() { return size() == 0; }

    public void clear() {
        Arrays.fill(seriesLabels, 0, seriesCount, null); // do not pin label sets of an idle batch
        seriesCount = 0;
        sampleCount = 0;
        retiredCount = 0;
    }

    int seriesCount() { return seriesCount; }
    long[] seriesIds() { return seriesIds; }
    Labels[] seriesLabels() { return seriesLabels; }
    int sampleCount() { return sampleCount; }
    long[] sampleIds() { return sampleIds; }
    long[] sampleTimes() { return sampleTimes; }
    long[] sampleBits() { return sampleBits; }
    int retiredCount() { return retiredCount; }
    long[] retiredIds() { return retiredIds; }

    private void growSamples() {
        int cap = sampleIds.length * 2;
        sampleIds = Arrays.copyOf(sampleIds, cap);
        sampleTimes = Arrays.copyOf(sampleTimes, cap);
        sampleBits = Arrays.copyOf(sampleBits, cap);
    }

    private void autoFlush() {
        if (flusher == null) return;
        try {
            flusher.flush(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the checkpoint unwraps it
        }
        clear();
    }
}
