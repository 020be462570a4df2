package tally.storage.store;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;
import tally.model.Labels;
import tally.storage.index.LabelsOrder;

/**
 * The series of one select, held in a few primitive arrays rather than an object per series: a 30-day selection
 * has hundreds of thousands of series, and objects per series are what the collector copies and promotes while
 * the query runs. Each series is a block and local id (where its labels are read from, when first asked for),
 * its labels hash, and a run of chunk references in one shared array, in time order. {@link #get} hands out a
 * short-lived view; the selection itself is never changed after it is built.
 */
final class StoredSelection extends AbstractList<StoredSeries> implements RandomAccess {
    /** Longs per chunk reference in {@link #refs}. */
    static final int STRIDE = 4;
    static final int BLOCK_AND_LENGTH = 0; // block index << 32 | chunk length (-1: map key)
    static final int KEY = 1;              // map key, or chunk file offset when length >= 0
    static final int MIN_T = 2;
    static final int MAX_T = 3;

    final ChunkStoreReader reader;
    final ChunkStoreReader.Block[] blocks;
    private final int n;
    private final int[] block, id, hash;
    /** Built at selection for a sort, else null: labels are then read when a view is asked for them. */
    private final Labels[] labels;
    /**
     * Where series i's label record starts in {@link #labelRecords} (its block's index copied it while reading the
     * series' record at selection, some 20 bytes), or -1: then its labels are read from the index again.
     */
    private final int[] labelAt;
    private final byte[] labelRecords;
    /** Series i's chunks are refs[STRIDE * start[i], STRIDE * start[i + 1]). */
    final int[] start;
    final long[] refs;

    StoredSelection(ChunkStoreReader reader, ChunkStoreReader.Block[] blocks, int n, int[] block, int[] id, int[] hash,
                    Labels[] labels, int[] labelAt, byte[] labelRecords, int[] start, long[] refs) {
        this.reader = reader;
        this.blocks = blocks;
        this.n = n;
        this.block = block;
        this.id = id;
        this.hash = hash;
        this.labels = labels;
        this.labelAt = labelAt;
        this.labelRecords = labelRecords;
        this.start = start;
        this.refs = refs;
    }

    @Override
    public int size() { return n; }

    /** A view of series i (a new small object: take it, read it, let it go). */
    @Override
    public StoredSeries get(int i) {
        if (i < 0 || i >= n) throw new IndexOutOfBoundsException(i);
        return new MergedSeries(this, i);
    }

    Labels labels(int i) {
        if (labels != null) return labels[i];
        if (labelAt != null && labelAt[i] >= 0) return reader.labelsFromRecord(block[i], labelRecords, labelAt[i]);
        return reader.labelsOf(block[i], id[i]);
    }

    int labelsHash(int i) { return hash[i]; }

    /**
     * Collects a selection: series as they are found (block by block), chunks appended in any order with their
     * series' number, then laid out per series in time order by {@link #build}.
     */
    static final class Builder {
        private final ChunkStoreReader reader;
        private final ChunkStoreReader.Block[] blocks;
        private final boolean withLabels;
        private int n;
        private int[] block = new int[64], id = new int[64], hash = new int[64];
        private Labels[] labels;
        private int[] labelAt;
        private final tally.storage.index.ByteSink labelRecords;
        private int chunks;
        private long[] pool = new long[64 * STRIDE];
        private int[] owner = new int[64];

        Builder(ChunkStoreReader reader, ChunkStoreReader.Block[] blocks, boolean withLabels) {
            this.reader = reader;
            this.blocks = blocks;
            this.withLabels = withLabels;
            if (withLabels) {
                labels = new Labels[64];
                labelRecords = null;
            } else {
                labelAt = new int[64];
                labelRecords = new tally.storage.index.ByteSink(1024);
            }
        }

        Labels labels(int i) {
            if (labels != null) return labels[i];
            if (labelAt[i] >= 0) return reader.labelsFromRecord(block[i], labelRecords.array(), labelAt[i]);
            return reader.labelsOf(block[i], id[i]);
        }

        /**
         * Adds series seriesId of block b, read by {@code r} (positioned on it), and returns its number. With a sort
         * its labels are given; otherwise the index is asked for its label record, kept for building them later.
         */
        int add(int b, int seriesId, int labelsHash, Labels l, tally.storage.index.BlockIndex.SeriesReader r) {
            if (n == block.length) {
                int cap = n * 2;
                block = Arrays.copyOf(block, cap);
                id = Arrays.copyOf(id, cap);
                hash = Arrays.copyOf(hash, cap);
                if (labels != null) labels = Arrays.copyOf(labels, cap);
                if (labelAt != null) labelAt = Arrays.copyOf(labelAt, cap);
            }
            block[n] = b;
            id[n] = seriesId;
            hash[n] = labelsHash;
            if (withLabels) {
                labels[n] = l;
            } else {
                int at = labelRecords.size();
                labelAt[n] = r.appendLabelRecord(seriesId, labelRecords) ? at : -1;
            }
            return n++;
        }

        /** Appends series s's chunk references gathered from one block. */
        void addChunks(int s, ChunkStoreReader.ChunkRefs from) {
            if (chunks + from.n > owner.length) {
                int cap = Math.max(owner.length * 2, chunks + from.n);
                owner = Arrays.copyOf(owner, cap);
                pool = Arrays.copyOf(pool, cap * STRIDE);
            }
            for (int i = 0; i < from.n; i++) {
                int o = chunks * STRIDE;
                pool[o + BLOCK_AND_LENGTH] = ((long) from.block << 32) | (from.length[i] & 0xFFFFFFFFL);
                pool[o + KEY] = from.ref[i];
                pool[o + MIN_T] = from.minT[i];
                pool[o + MAX_T] = from.maxT[i];
                owner[chunks++] = s;
            }
        }

        StoredSelection build() {
            int[] start = new int[n + 1];
            long[] refs;
            boolean grouped = true; // chunks already come series by series (one block, or no series in two)
            for (int c = 1; c < chunks && grouped; c++) grouped = owner[c - 1] <= owner[c];
            for (int c = 0; c < chunks; c++) start[owner[c] + 1]++;
            for (int i = 0; i < n; i++) start[i + 1] += start[i];
            if (grouped) {
                refs = chunks * STRIDE == pool.length ? pool : Arrays.copyOf(pool, chunks * STRIDE);
            } else {
                // counting sort by series, keeping each series' chunks in the order they came
                refs = new long[chunks * STRIDE];
                int[] fill = Arrays.copyOf(start, n);
                for (int c = 0; c < chunks; c++) {
                    int to = fill[owner[c]]++;
                    System.arraycopy(pool, c * STRIDE, refs, to * STRIDE, STRIDE);
                }
            }
            pool = null;
            owner = null;
            for (int i = 0; i < n; i++) sortByTime(refs, start[i], start[i + 1]);
            if (labels == null) {
                return new StoredSelection(reader, blocks, n, block, id, hash, null, labelAt, labelRecords.toByteArray(), start, refs);
            }
            return sorted(start, refs);
        }

        /** The selection in label order (labels were kept for it). */
        private StoredSelection sorted(int[] start, long[] refs) {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) order[i] = i;
            Arrays.sort(order, (x, y) -> LabelsOrder.compare(labels[x], labels[y]));
            int[] b2 = new int[n], id2 = new int[n], h2 = new int[n], start2 = new int[n + 1];
            Labels[] l2 = new Labels[n];
            long[] refs2 = new long[refs.length];
            int at = 0;
            for (int k = 0; k < n; k++) {
                int i = order[k];
                b2[k] = block[i];
                id2[k] = id[i];
                h2[k] = hash[i];
                l2[k] = labels[i];
                int len = (start[i + 1] - start[i]) * STRIDE;
                System.arraycopy(refs, start[i] * STRIDE, refs2, at, len);
                start2[k] = at / STRIDE;
                at += len;
            }
            start2[n] = at / STRIDE;
            return new StoredSelection(reader, blocks, n, b2, id2, h2, l2, null, null, start2, refs2);
        }

        /** Insertion sort by minT: chunks almost always arrive in order already, so this is one linear pass. */
        private static void sortByTime(long[] refs, int from, int to) {
            long[] tmp = null;
            for (int i = from + 1; i < to; i++) {
                if (refs[(i - 1) * STRIDE + MIN_T] <= refs[i * STRIDE + MIN_T]) continue;
                if (tmp == null) tmp = new long[STRIDE];
                System.arraycopy(refs, i * STRIDE, tmp, 0, STRIDE);
                long lo = tmp[MIN_T];
                int j = i - 1;
                while (j >= from && refs[j * STRIDE + MIN_T] > lo) {
                    System.arraycopy(refs, j * STRIDE, refs, (j + 1) * STRIDE, STRIDE);
                    j--;
                }
                System.arraycopy(tmp, 0, refs, (j + 1) * STRIDE, STRIDE);
            }
        }
    }
}
