package tally.storage.store;

import java.util.Arrays;
import tally.model.Labels;

/**
 * A series as one reader sees it: chunk references from any number of blocks, kept in time order. A query
 * holds one per selected series (hundreds of thousands), so the references share one array, sized for what
 * the first block contributed (one chunk for most short-lived series).
 */
final class MergedSeries implements StoredSeries {
    /** Longs per chunk reference in {@link #refs}. */
    private static final int STRIDE = 4;
    private static final int BLOCK_AND_LENGTH = 0; // block index << 32 | chunk length (-1: map key)
    private static final int KEY = 1;              // map key, or chunk file offset when length >= 0
    private static final int MIN_T = 2;
    private static final int MAX_T = 3;

    private final Labels labels;
    private final ChunkStoreReader.Block[] blocks;
    private final ChunkStoreReader reader;
    private int n;
    private long[] refs;

    MergedSeries(Labels labels, ChunkStoreReader.Block[] blocks, ChunkStoreReader reader) {
        this.labels = labels;
        this.blocks = blocks;
        this.reader = reader;
    }

    void add(ChunkStoreReader.ChunkRefs from) {
        if (refs == null) refs = new long[from.n * STRIDE];
        else if ((n + from.n) * STRIDE > refs.length) refs = Arrays.copyOf(refs, Math.max(refs.length * 2, (n + from.n) * STRIDE));
        for (int i = 0; i < from.n; i++) {
            int o = n * STRIDE;
            refs[o + BLOCK_AND_LENGTH] = ((long) from.block << 32) | (from.length[i] & 0xFFFFFFFFL);
            refs[o + KEY] = from.ref[i];
            refs[o + MIN_T] = from.minT[i];
            refs[o + MAX_T] = from.maxT[i];
            n++;
        }
    }

    private long minT(int i) { return refs[i * STRIDE + MIN_T]; }

    private long maxT(int i) { return refs[i * STRIDE + MAX_T]; }

    private int block(int i) { return (int) (refs[i * STRIDE + BLOCK_AND_LENGTH] >>> 32); }

    private int length(int i) { return (int) refs[i * STRIDE + BLOCK_AND_LENGTH]; }

    private long key(int i) { return refs[i * STRIDE + KEY]; }

    /** Insertion sort by minT: chunks almost always arrive in order already, so this is one linear pass. */
    void sortByTime() {
        long[] tmp = null;
        for (int i = 1; i < n; i++) {
            if (minT(i - 1) <= minT(i)) continue;
            if (tmp == null) tmp = new long[STRIDE];
            System.arraycopy(refs, i * STRIDE, tmp, 0, STRIDE);
            long lo = tmp[MIN_T];
            int j = i - 1;
            while (j >= 0 && minT(j) > lo) {
                System.arraycopy(refs, j * STRIDE, refs, (j + 1) * STRIDE, STRIDE);
                j--;
            }
            System.arraycopy(tmp, 0, refs, (j + 1) * STRIDE, STRIDE);
        }
    }

    @Override
    public Labels labels() { return labels; }

    @Override
    public boolean chunksOverlap(long mint, long maxt) {
        long reach = Long.MIN_VALUE;
        boolean any = false;
        for (int i = 0; i < n; i++) {
            if (maxT(i) < mint || minT(i) > maxt) continue;
            if (any && minT(i) <= reach) return true;
            any = true;
            reach = Math.max(reach, maxT(i));
        }
        return false;
    }

    @Override
    public long chunksMaxT(long mint, long maxt) {
        long max = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            if (maxT(i) < mint || minT(i) > maxt) continue;
            max = Math.max(max, maxT(i));
        }
        return max;
    }

    @Override
    public ChunkCursor chunks(long mint, long maxt) {
        return chunks(mint, maxt, null);
    }

    @Override
    public ChunkCursor chunks(long mint, long maxt, ChunkCursor reuse) {
        Cursor c = reuse instanceof Cursor r ? r : new Cursor();
        c.reset(this, mint, maxt);
        return c;
    }

    /** Reusable across the series of one reader: its buffer for sealed chunks is kept. */
    private static final class Cursor implements ChunkCursor {
        private MergedSeries s;
        private long mint;
        private long maxt;
        private int i;
        private byte[] value;
        private int offset;
        private int len;
        private SealedChunkReader sealed; // buffer for chunks of sealed blocks, borrowed from the reader until the end

        void reset(MergedSeries s, long mint, long maxt) {
            this.s = s;
            this.mint = mint;
            this.maxt = maxt;
            this.i = -1;
            this.value = null;
        }

        @Override
        public boolean next() {
            while (++i < s.n) {
                if (s.maxT(i) < mint || s.minT(i) > maxt) continue;
                Generation g = s.blocks[s.block(i)].gen();
                int length = s.length(i);
                if (length >= 0) {
                    // sealed: the reader resolves chunks whose timestamps live in the block's shared timelines
                    if (sealed == null) sealed = s.reader.borrowSealedReader();
                    if (!sealed.read(g, s.key(i), length)) throw missing(g);
                    value = sealed.array();
                    offset = 0;
                    len = sealed.length();
                    return true;
                }
                value = g.readValue(s.key(i));
                if (value == null) throw missing(g);
                offset = ChunkValue.headerLength(value);
                len = value.length - offset;
                return true;
            }
            value = null;
            if (sealed != null) { // the last chunk's bytes are no longer valid: the next cursor may reuse them
                s.reader.returnSealedReader(sealed);
                sealed = null;
            }
            return false;
        }

        /**
         * The index lists a chunk the block's files do not hold (a damaged file). Skipping it would answer with
         * samples silently missing; Prometheus fails the query instead ("cannot populate chunk ... from block ..."),
         * and so does Tally. The store counts it (tally_storage_missing_chunks_total) and logs the series and block.
         */
        private MissingChunkException missing(Generation g) {
            value = null;
            return s.reader.missingChunk(g, s.labels, s.key(i), s.minT(i), s.maxT(i));
        }

        @Override public byte[] array() { return value; }
        @Override public int offset() { return offset; }
        @Override public int length() { return len; }
        @Override public long minT() { return s.minT(i); }
        @Override public long maxT() { return s.maxT(i); }
    }
}
