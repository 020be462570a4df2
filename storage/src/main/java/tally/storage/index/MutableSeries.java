package tally.storage.index;

import java.util.Arrays;
import tally.model.Labels;

/**
 * One series of the block being written, with its chunk time index. Chunk arrays only grow by
 * copying, so a snapshot (arrays + count taken under the monitor) stays valid while writes continue.
 */
public final class MutableSeries {
    public final int id;
    public final Labels labels;
    private long[] minT = new long[2];
    private long[] maxT = new long[2];
    private int[] seq = new int[2];
    private int n;
    private int nextSeq;

    MutableSeries(int id, Labels labels) {
        this.id = id;
        this.labels = labels;
    }

    /**
     * The sequence number a chunk with this time range gets: that of an already written chunk with the
     * same range for which {@code sameChunk} holds (a replayed chunk overwrites itself, keeping writes
     * idempotent), else the next free one, so a different chunk with the same range (overlapping data)
     * never replaces another. Call under the monitor, then {@link #publish} after the chunk is persisted.
     */
    public int seqFor(long min, long max, java.util.function.IntPredicate sameChunk) {
        for (int i = n - 1; i >= 0; i--) if (minT[i] == min && maxT[i] == max && sameChunk.test(seq[i])) return seq[i];
        return nextSeq;
    }

    /** Records a persisted chunk; returns false (and changes nothing) when its seq is already known. */
    public boolean publish(int s, long min, long max) {
        if (s < nextSeq) {
            for (int i = 0; i < n; i++) if (seq[i] == s) return false;
        }
        if (n == minT.length) {
            int cap = n * 2;
            minT = Arrays.copyOf(minT, cap);
            maxT = Arrays.copyOf(maxT, cap);
            seq = Arrays.copyOf(seq, cap);
        }
        minT[n] = min;
        maxT[n] = max;
        seq[n] = s;
        n++;
        if (s >= nextSeq) nextSeq = s + 1;
        return true;
    }

    /** Visits chunks in seq order as of now. */
    public synchronized int forEachChunk(BlockIndex.ChunkVisitor v) {
        for (int i = 0; i < n; i++) v.chunk(seq[i], -1, minT[i], maxT[i]);
        return n;
    }

    public synchronized int chunkCount() { return n; }

    /** Chunks published after a crash-rebuild may arrive out of seq order; sealing wants them sorted. */
    synchronized void sortBySeq() {
        for (int i = 1; i < n; i++) {
            int s = seq[i];
            long a = minT[i], b = maxT[i];
            int j = i - 1;
            while (j >= 0 && seq[j] > s) {
                seq[j + 1] = seq[j];
                minT[j + 1] = minT[j];
                maxT[j + 1] = maxT[j];
                j--;
            }
            seq[j + 1] = s;
            minT[j + 1] = a;
            maxT[j + 1] = b;
        }
    }
}
