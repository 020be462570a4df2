package tally.storage.head;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;
import tally.storage.chunk.ChunkEncoder;

/**
 * A series' out-of-order samples: a small sorted array, sealed into chunks of its own once full.
 * Guarded by the series' monitor. The encoded form is cached for query snapshots.
 */
final class OooBuffer {
    private final long[] ts;
    private final double[] vs;
    private int n;
    private byte[] encoded;

    OooBuffer(int capacity) {
        ts = new long[capacity];
        vs = new double[capacity];
    }

    int size() { return n; }

    boolean isFull() { return n == ts.length; }

    long minT() { return ts[0]; }

    long maxT() { return ts[n - 1]; }

    double valueAt(int i) { return vs[i]; }

    /** Index of the sample at t, or a negative value when there is none. */
    int indexOf(long t) {
        return java.util.Arrays.binarySearch(ts, 0, n, t);
    }

    /** Inserts a sample whose timestamp is not in the buffer yet (caller checked); the buffer is not full. */
    void insert(long t, double v) {
        int i = -indexOf(t) - 1;
        System.arraycopy(ts, i, ts, i + 1, n - i);
        System.arraycopy(vs, i, vs, i + 1, n - i);
        ts[i] = t;
        vs[i] = v;
        n++;
        encoded = null;
    }

    /** The buffer as one chunk in time order (it may cross a partition: only for reading). */
    SealedChunk snapshot() {
        if (encoded == null) {
            ChunkEncoder e = new ChunkEncoder();
            for (int i = 0; i < n; i++) e.append(ts[i], vs[i]);
            encoded = e.toBytes();
        }
        return new SealedChunk(encoded, ts[0], ts[n - 1]);
    }

    /**
     * Empties the buffer into chunks for the store: one per store partition it spans, since stored
     * chunks never cross a partition boundary.
     */
    List<SealedChunk> drain(LongUnaryOperator partitionEnd) {
        List<SealedChunk> out = new ArrayList<>(1);
        ChunkEncoder e = new ChunkEncoder();
        long end = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            if (e.numSamples() > 0 && ts[i] >= end) {
                out.add(new SealedChunk(e.toBytes(), e.minT(), e.maxT()));
                e = new ChunkEncoder();
            }
            if (e.numSamples() == 0) end = partitionEnd.applyAsLong(ts[i]);
            e.append(ts[i], vs[i]);
        }
        if (e.numSamples() > 0) out.add(new SealedChunk(e.toBytes(), e.minT(), e.maxT()));
        n = 0;
        encoded = null;
        return out;
    }
}
