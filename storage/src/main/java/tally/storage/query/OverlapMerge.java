package tally.storage.query;

import java.util.Arrays;
import tally.storage.chunk.ChunkIterator;
import tally.storage.head.HeadSeries;
import tally.storage.store.ChunkCursor;
import tally.storage.store.StoredSeries;

/**
 * The slow path of {@link SeriesIterator} for series whose chunks overlap in time (out-of-order
 * chunks, or a chunk present twice): a k-way merge by timestamp that returns each timestamp once
 * (which chunk's value wins is unspecified: accepted data never has two values at one time). Chunks
 * are opened lazily in minT order, only once they may hold the next sample, so the merge width is
 * the number of chunks overlapping the current time. Buffers and iterators are pooled across resets.
 */
final class OverlapMerge {
    private static final int OPEN_CHUNK = -1;

    // chunk entries of the current series, in minT order after reset
    private int count;
    private byte[][] bytes = new byte[4][];   // copies of store chunks, references to head chunks
    private int[] length = new int[4];        // OPEN_CHUNK for the head's open chunk
    private long[] minT = new long[4];
    private long[] maxT = new long[4];
    private int[] order = new int[4];

    // opened chunks, each positioned on its next unreturned sample
    private ChunkIterator[] active = new ChunkIterator[4];
    private int activeN;
    private byte[][] storeBufs = new byte[4][];
    private int storeUsed;
    private ChunkIterator[] pool = new ChunkIterator[0];
    private int poolUsed;

    private HeadSeries head;
    private int nextEntry;
    private long floor;  // no sample before this is returned any more
    private long maxt;
    private boolean has; // positioned on a returned sample (t, v)
    private long t;
    private double v;

    void reset(StoredSeries stored, HeadSeries head, long mint, long maxt) {
        this.head = head;
        this.maxt = maxt;
        this.floor = mint;
        count = 0;
        activeN = 0;
        poolUsed = 0;
        storeUsed = 0;
        nextEntry = 0;
        has = false;
        if (stored != null) {
            ChunkCursor c = stored.chunks(mint, maxt);
            while (c.next()) addStoreChunk(c);
        }
        if (head != null) {
            for (int i = 0; i < head.sealedCount(); i++) {
                if (head.sealedMaxT(i) < mint || head.sealedMinT(i) > maxt) continue;
                add(head.sealedBytes(i), head.sealedBytes(i).length, head.sealedMinT(i), head.sealedMaxT(i));
            }
            if (head.hasOpen() && head.openMaxT() >= mint && head.openMinT() <= maxt) add(null, OPEN_CHUNK, head.openMinT(), head.openMaxT());
        }
        sortByMinT();
    }

    boolean next() {
        return has = take();
    }

    boolean seek(long target) {
        if (has && t >= target) return true; // never moves backwards, nor forwards when already there
        if (target <= floor) return has = take();
        floor = target;
        for (int i = 0; i < activeN; ) {
            ChunkIterator it = active[i];
            if (it.atT() >= target || it.seek(target)) i++;
            else removeActive(i);
        }
        return has = take();
    }

    long atT() { return t; }

    double atV() { return v; }

    /**
     * Returns the oldest sample at or after floor across all chunks, consuming its timestamp in every
     * chunk that has it. Every active iterator is positioned at or after floor.
     */
    private boolean take() {
        long min = minActiveT();
        while (nextEntry < count && (activeN == 0 || minT[order[nextEntry]] <= min)) {
            activate(order[nextEntry++]);
            min = minActiveT();
        }
        if (activeN == 0 || min > maxt) {
            activeN = 0;
            nextEntry = count;
            return false;
        }
        for (int i = 0; i < activeN; i++) {
            if (active[i].atT() == min) {
                v = active[i].atV();
                break;
            }
        }
        t = min;
        for (int i = 0; i < activeN; ) {
            if (active[i].atT() == min && !active[i].next()) removeActive(i);
            else i++;
        }
        floor = t == Long.MAX_VALUE ? t : t + 1;
        return true;
    }

    private long minActiveT() {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < activeN; i++) min = Math.min(min, active[i].atT());
        return min;
    }

    private void activate(int e) {
        if (maxT[e] < floor) return;
        ChunkIterator it = iterator();
        if (length[e] == OPEN_CHUNK) head.openIterator(it);
        else it.reset(bytes[e], 0, length[e]);
        if (!it.seek(floor)) return;
        if (activeN == active.length) active = Arrays.copyOf(active, activeN * 2);
        active[activeN++] = it;
    }

    private void removeActive(int i) {
        active[i] = active[--activeN];
        active[activeN] = null;
    }

    private ChunkIterator iterator() {
        if (poolUsed == pool.length) {
            pool = Arrays.copyOf(pool, Math.max(4, pool.length * 2));
            for (int i = poolUsed; i < pool.length; i++) pool[i] = new ChunkIterator();
        }
        return pool[poolUsed++];
    }

    /** Store cursors reuse their buffer on next(): copy the chunk into a pooled array. */
    private void addStoreChunk(ChunkCursor c) {
        if (storeUsed == storeBufs.length) storeBufs = Arrays.copyOf(storeBufs, storeUsed * 2);
        byte[] buf = storeBufs[storeUsed];
        if (buf == null || buf.length < c.length()) storeBufs[storeUsed] = buf = new byte[Math.max(c.length(), 64)];
        storeUsed++;
        System.arraycopy(c.array(), c.offset(), buf, 0, c.length());
        add(buf, c.length(), c.minT(), c.maxT());
    }

    private void add(byte[] b, int len, long lo, long hi) {
        ensureCapacity();
        bytes[count] = b;
        length[count] = len;
        minT[count] = lo;
        maxT[count] = hi;
        order[count] = count;
        count++;
    }

    private void ensureCapacity() {
        if (count < bytes.length) return;
        int cap = bytes.length * 2;
        bytes = Arrays.copyOf(bytes, cap);
        length = Arrays.copyOf(length, cap);
        minT = Arrays.copyOf(minT, cap);
        maxT = Arrays.copyOf(maxT, cap);
        order = Arrays.copyOf(order, cap);
    }

    /** Insertion sort of entry indexes: store chunks and head chunks each arrive sorted already. */
    private void sortByMinT() {
        for (int i = 1; i < count; i++) {
            int e = order[i];
            int j = i - 1;
            while (j >= 0 && minT[order[j]] > minT[e]) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = e;
        }
    }
}
