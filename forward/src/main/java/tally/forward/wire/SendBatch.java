package tally.forward.wire;

import java.util.Arrays;
import tally.model.Labels;
import tally.model.MetricMetadata;

/**
 * The content of one remote-write request, reused from request to request: samples grouped per series (by the
 * caller's series ref) in the order they were added. A shard thread fills it with {@link #add}, an encoder
 * ({@link RemoteWriteEncoder}) turns it into a request body, then {@link #clear} readies it for the next batch without
 * giving its arrays back. Values keep their raw IEEE bits, so the stale marker ({@code 0x7ff0000000000002}) and NaN
 * payloads are sent as they were stored. Not thread-safe.
 *
 * <p>Series are encoded in the order their first sample was added; a series' samples in the order added (the caller
 * adds one series' samples in time order).
 */
public final class SendBatch {
    private static final int INITIAL_SERIES = 256;
    private static final int INITIAL_SAMPLES = 2048;
    /** After a clear, arrays that one batch grew past this many entries are let go. */
    private static final int KEEP_ENTRIES = 1 << 16;

    // series, in the order first seen
    private long[] refs;
    private Labels[] labels;
    private MetricMetadata[] metadata;
    private int[] firstSample;
    private int[] lastSample;
    private int[] sampleCount;
    private int series;

    // samples, chained per series through next[]
    private long[] ts;
    private long[] valueBits;
    private int[] next;
    private int samples;

    // series ref -> series index + 1 (0 = empty slot), open addressing with linear probing
    private long[] keys;
    private int[] slots;
    private int mask;

    private long minTime = Long.MAX_VALUE;
    private long maxTime = Long.MIN_VALUE;

    public SendBatch() {
        allocateSeries(INITIAL_SERIES);
        allocateSamples(INITIAL_SAMPLES);
    }

    private void allocateSeries(int n) {
        refs = new long[n];
        labels = new Labels[n];
        metadata = new MetricMetadata[n];
        firstSample = new int[n];
        lastSample = new int[n];
        sampleCount = new int[n];
        int cap = Integer.highestOneBit(n * 4 - 1) << 1; // load factor <= 1/2
        keys = new long[cap];
        slots = new int[cap];
        mask = cap - 1;
    }

    private void allocateSamples(int n) {
        ts = new long[n];
        valueBits = new long[n];
        next = new int[n];
    }

    /**
     * Adds one sample of the series {@code seriesRef}. The first call for a ref keeps its labels; later calls may pass
     * the same labels again (they are not compared). A non-null {@code metadataOrNull} replaces what the series had.
     */
    public void add(long seriesRef, Labels labels, MetricMetadata metadataOrNull, long t, double v) {
        int s = seriesIndex(seriesRef, labels);
        if (metadataOrNull != null) metadata[s] = metadataOrNull;
        if (samples == ts.length) growSamples();
        int i = samples++;
        ts[i] = t;
        valueBits[i] = Double.doubleToRawLongBits(v);
        next[i] = -1;
        if (sampleCount[s]++ == 0) firstSample[s] = i; else next[lastSample[s]] = i;
        lastSample[s] = i;
        if (t < minTime) minTime = t;
        if (t > maxTime) maxTime = t;
    }

    private int seriesIndex(long ref, Labels ls) {
        int h = mix(ref) & mask;
        while (true) {
            int v = slots[h];
            if (v == 0) break;
            if (keys[h] == ref) return v - 1;
            h = (h + 1) & mask;
        }
        if (series == refs.length) {
            growSeries();
            return seriesIndex(ref, ls); // the table was rebuilt: probe again
        }
        int s = series++;
        refs[s] = ref;
        labels[s] = ls == null ? Labels.EMPTY : ls;
        metadata[s] = null;
        sampleCount[s] = 0;
        keys[h] = ref;
        slots[h] = s + 1;
        return s;
    }

    private static int mix(long ref) {
        long h = ref * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    private void growSeries() {
        int n = refs.length * 2;
        refs = Arrays.copyOf(refs, n);
        labels = Arrays.copyOf(labels, n);
        metadata = Arrays.copyOf(metadata, n);
        firstSample = Arrays.copyOf(firstSample, n);
        lastSample = Arrays.copyOf(lastSample, n);
        sampleCount = Arrays.copyOf(sampleCount, n);
        int cap = Integer.highestOneBit(n * 4 - 1) << 1;
        keys = new long[cap];
        slots = new int[cap];
        mask = cap - 1;
        for (int s = 0; s < series; s++) {
            int h = mix(refs[s]) & mask;
            while (slots[h] != 0) h = (h + 1) & mask;
            keys[h] = refs[s];
            slots[h] = s + 1;
        }
    }

    private void growSamples() {
        int n = ts.length * 2;
        ts = Arrays.copyOf(ts, n);
        valueBits = Arrays.copyOf(valueBits, n);
        next = Arrays.copyOf(next, n);
    }

    /** Empties the batch, keeping its arrays (unless one large batch grew them past what is worth keeping). */
    public void clear() {
        if (refs.length > KEEP_ENTRIES) {
            allocateSeries(INITIAL_SERIES);
        } else {
            Arrays.fill(labels, 0, series, null); // do not pin label sets of series that may be gone
            Arrays.fill(metadata, 0, series, null);
            if (series > 0) Arrays.fill(slots, 0);
        }
        if (ts.length > KEEP_ENTRIES) allocateSamples(INITIAL_SAMPLES);
        series = 0;
        samples = 0;
        minTime = Long.MAX_VALUE;
        maxTime = Long.MIN_VALUE;
    }

    public int samples() { return samples; }

    public int series() { return series; }

    public boolean isEmpty() { return samples == 0; }

    /** The earliest sample timestamp (ms), or Long.MAX_VALUE when empty. */
    public long minTime() { return minTime; }

    /** The latest sample timestamp (ms), or Long.MIN_VALUE when empty. */
    public long maxTime() { return maxTime; }

    // --- read access for the encoders (series index 0..series()-1, sample cursor from firstSample/nextSample) ---

    long seriesRef(int s) { return refs[s]; }

    Labels labels(int s) { return labels[s]; }

    MetricMetadata metadata(int s) { return metadata[s]; }

    int sampleCount(int s) { return sampleCount[s]; }

    int firstSample(int s) { return firstSample[s]; }

    /** The sample after {@code i} in its series, or -1. */
    int nextSample(int i) { return next[i]; }

    long timestamp(int i) { return ts[i]; }

    long valueBits(int i) { return valueBits[i]; }
}
