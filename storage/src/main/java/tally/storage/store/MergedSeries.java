package tally.storage.store;

import tally.model.Labels;

/**
 * One series of a {@link StoredSelection}: a view of its entry there (chunk references from any number of blocks,
 * in time order), made when a caller takes the series and dropped with it.
 */
final class MergedSeries implements StoredSeries {
    private static final int STRIDE = StoredSelection.STRIDE;
    private final StoredSelection sel;
    private final int index;
    private final int first, n;
    private final long[] refs;

    MergedSeries(StoredSelection sel, int index) {
        this.sel = sel;
        this.index = index;
        this.first = sel.start[index];
        this.n = sel.start[index + 1] - first;
        this.refs = sel.refs;
    }

    private long minT(int i) { return refs[(first + i) * STRIDE + StoredSelection.MIN_T]; }

    private long maxT(int i) { return refs[(first + i) * STRIDE + StoredSelection.MAX_T]; }

    private int block(int i) { return (int) (refs[(first + i) * STRIDE + StoredSelection.BLOCK_AND_LENGTH] >>> 32); }

    private int length(int i) { return (int) refs[(first + i) * STRIDE + StoredSelection.BLOCK_AND_LENGTH]; }

    private long key(int i) { return refs[(first + i) * STRIDE + StoredSelection.KEY]; }

    /** Read from the index each time unless the selection kept them: the caller keeps what it needs. */
    @Override
    public Labels labels() { return sel.labels(index); }

    @Override
    public int labelsHash() { return sel.labelsHash(index); }

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
                Generation g = s.sel.blocks[s.block(i)].gen();
                int length = s.length(i);
                if (length >= 0) {
                    // sealed: the reader resolves chunks whose timestamps live in the block's shared timelines
                    if (sealed == null) sealed = s.sel.reader.borrowSealedReader();
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
                s.sel.reader.returnSealedReader(sealed);
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
            return s.sel.reader.missingChunk(g, s.labels(), s.key(i), s.minT(i), s.maxT(i));
        }

        @Override public byte[] array() { return value; }
        @Override public int offset() { return offset; }
        @Override public int length() { return len; }
        @Override public long minT() { return s.minT(i); }
        @Override public long maxT() { return s.maxT(i); }
    }
}
