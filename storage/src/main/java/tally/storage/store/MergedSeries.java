package tally.storage.store;

import java.util.Arrays;
import tally.model.Labels;

/** A series as one reader sees it: chunk references from any number of blocks, kept in time order. */
final class MergedSeries implements StoredSeries {
    private final Labels labels;
    private final ChunkStoreReader.Block[] blocks;
    private final ChunkStoreReader reader;
    private int n;
    private int[] block = new int[2];
    private long[] key = new long[2];      // map key, or chunk file offset when length >= 0
    private int[] length = new int[2];
    private long[] minT = new long[2];
    private long[] maxT = new long[2];

    MergedSeries(Labels labels, ChunkStoreReader.Block[] blocks, ChunkStoreReader reader) {
        this.labels = labels;
        this.blocks = blocks;
        this.reader = reader;
    }

    void add(ChunkStoreReader.ChunkRefs refs) {
        if (n + refs.n > block.length) {
            int cap = Math.max(block.length * 2, n + refs.n);
            block = Arrays.copyOf(block, cap);
            key = Arrays.copyOf(key, cap);
            length = Arrays.copyOf(length, cap);
            minT = Arrays.copyOf(minT, cap);
            maxT = Arrays.copyOf(maxT, cap);
        }
        for (int i = 0; i < refs.n; i++) {
            block[n] = refs.block;
            key[n] = refs.ref[i];
            length[n] = refs.length[i];
            minT[n] = refs.minT[i];
            maxT[n] = refs.maxT[i];
            n++;
        }
    }

    /** Insertion sort: chunks almost always arrive in order already, so this is one linear pass. */
    void sortByTime() {
        for (int i = 1; i < n; i++) {
            if (minT[i - 1] <= minT[i]) continue;
            int b = block[i], len = length[i];
            long k = key[i], lo = minT[i], hi = maxT[i];
            int j = i - 1;
            while (j >= 0 && minT[j] > lo) {
                block[j + 1] = block[j];
                key[j + 1] = key[j];
                length[j + 1] = length[j];
                minT[j + 1] = minT[j];
                maxT[j + 1] = maxT[j];
                j--;
            }
            block[j + 1] = b;
            key[j + 1] = k;
            length[j + 1] = len;
            minT[j + 1] = lo;
            maxT[j + 1] = hi;
        }
    }

    @Override
    public Labels labels() { return labels; }

    @Override
    public boolean chunksOverlap(long mint, long maxt) {
        long reach = Long.MIN_VALUE;
        boolean any = false;
        for (int i = 0; i < n; i++) {
            if (maxT[i] < mint || minT[i] > maxt) continue;
            if (any && minT[i] <= reach) return true;
            any = true;
            reach = Math.max(reach, maxT[i]);
        }
        return false;
    }

    @Override
    public long chunksMaxT(long mint, long maxt) {
        long max = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            if (maxT[i] < mint || minT[i] > maxt) continue;
            max = Math.max(max, maxT[i]);
        }
        return max;
    }

    @Override
    public ChunkCursor chunks(long mint, long maxt) {
        return new Cursor(mint, maxt);
    }

    private final class Cursor implements ChunkCursor {
        private final long mint;
        private final long maxt;
        private int i = -1;
        private byte[] value;
        private int offset;
        private int len;
        private SealedChunkReader sealed; // buffer for chunks of sealed blocks, borrowed from the reader until the end

        Cursor(long mint, long maxt) {
            this.mint = mint;
            this.maxt = maxt;
        }

        @Override
        public boolean next() {
            while (++i < n) {
                if (maxT[i] < mint || minT[i] > maxt) continue;
                Generation g = blocks[block[i]].gen();
                if (length[i] >= 0) {
                    if (sealed == null) sealed = reader.borrowSealedReader();
                    sealed.read(g, key[i], length[i]);
                    value = sealed.array();
                    offset = 0;
                    len = sealed.length();
                    return true;
                }
                value = g.readValue(key[i]);
                if (value == null) continue; // cannot happen unless the file was damaged
                offset = ChunkValue.headerLength(value);
                len = value.length - offset;
                return true;
            }
            value = null;
            if (sealed != null) { // the last chunk's bytes are no longer valid: the next cursor may reuse them
                reader.returnSealedReader(sealed);
                sealed = null;
            }
            return false;
        }

        @Override public byte[] array() { return value; }
        @Override public int offset() { return offset; }
        @Override public int length() { return len; }
        @Override public long minT() { return minT[i]; }
        @Override public long maxT() { return maxT[i]; }
    }
}
