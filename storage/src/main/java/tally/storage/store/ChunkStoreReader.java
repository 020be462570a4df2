package tally.storage.store;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import tally.model.Labels;
import tally.model.Matcher;
import tally.storage.index.BlockIndex;
import tally.storage.index.MatcherPostings;
import tally.storage.index.IntList;
import tally.storage.index.LabelsOrder;
import tally.storage.index.Postings;
import tally.storage.index.PostingsIterator;
import tally.storage.index.StringCanon;

/** A {@link StoreReader} over the blocks of the partitions pinned when it was opened. */
final class ChunkStoreReader implements StoreReader {
    /**
     * One block as this reader sees it: the index captured at open and the id limit of that moment; {@code inRange}:
     * its whole partition lies in the reader's range, so every series of the block has its chunks there.
     */
    record Block(Generation gen, BlockIndex index, int limit, boolean inRange) {}

    private final ChunkStore store;
    private final List<Partition> pinned;
    private final Block[] blocks;
    private final long mint;
    private final long maxt;
    private boolean closed;
    /** Series this reader's selections hold, and how many of them are reserved in the store's query budget. */
    private long selected;
    private long reserved;
    /** Buffers of finished cursors, so reading many series does not allocate one per series. */
    private final SealedChunkReader[] spareReaders = new SealedChunkReader[4];
    private int spareCount;

    /** The query's room in the store's query budget, shared by all readers of one query. */
    private final QuerySeriesBudget.Reservation room;

    ChunkStoreReader(ChunkStore store, List<Partition> pinned, long mint, long maxt, QuerySeriesBudget.Reservation room) {
        this.room = room;
        this.store = store;
        this.pinned = pinned;
        this.mint = mint;
        this.maxt = maxt;
        List<Block> bs = new ArrayList<>();
        for (Partition p : pinned) {
            boolean inRange = p.start >= mint && p.end - 1 <= maxt;
            for (Generation g : p.generations()) {
                BlockIndex idx = g.acquire();
                bs.add(new Block(g, idx, idx.seriesCount(), inRange));
            }
        }
        blocks = bs.toArray(new Block[0]);
    }

    @Override
    public List<StoredSeries> select(List<Matcher> matchers, boolean sorted) {
        // One block: ids are unique, no join by labels. Several: equal labels of different blocks become one
        // series, joined by a hash of the strings' cached hash codes. For a sort, canonical strings (one instance
        // per distinct string across blocks) turn most label comparisons into identity checks.
        boolean join = blocks.length > 1;
        StringCanon canon = join && sorted ? new StringCanon() : null;
        SeriesByLabels byLabels = join ? new SeriesByLabels() : null;
        StoredSelection.Builder found = new StoredSelection.Builder(this, blocks, sorted);
        ChunkRefs scratch = new ChunkRefs();
        for (int b = 0; b < blocks.length; b++) {
            Block block = blocks[b];
            BlockIndex.SeriesReader r = block.index.seriesReader(canon);
            PostingsIterator it = MatcherPostings.select(block.index, matchers);
            while (it.next()) {
                int id = it.at();
                if (id >= block.limit) break;
                scratch.clear();
                scratch.block = b;
                scratch.seriesId = id;
                r.chunks(id, scratch);
                if (scratch.size() == 0) continue; // a hole has no chunks
                // labels are built now only for a sort; otherwise when the series is consumed (StoredSelection)
                Labels l = sorted ? r.labels(id) : null;
                if (sorted && l == null) continue;
                int hash = l != null ? LabelsOrder.hash(l) : r.labelsHash(id);
                int s = join ? byLabels.get(found, this, b, id, hash) : -1;
                if (s < 0) {
                    if (++selected > reserved) {
                        room.reserveStep();
                        reserved += QuerySeriesBudget.STEP;
                    }
                    s = found.add(b, id, hash, l, r);
                    if (join) byLabels.put(s, hash);
                }
                found.addChunks(s, scratch);
            }
        }
        return found.build();
    }

    /**
     * Names of the series matching the matchers with a chunk in the reader's range. A block whose partition the range
     * covers answers without matchers from its symbol table; otherwise the series are checked chunk by chunk, so a
     * range of a day that holds no data answers empty, as Prometheus does.
     */
    @Override
    public List<String> labelNames(List<Matcher> matchers) {
        TreeSet<String> names = new TreeSet<>();
        for (Block b : blocks) {
            if (matchers.isEmpty() && b.inRange) {
                names.addAll(b.index.labelNames());
                continue;
            }
            int[] ids = matchingIds(b, matchers);
            if (ids.length == 0) continue;
            for (String name : b.index.labelNames()) {
                if (!names.contains(name) && intersects(b.index.postingsMatching(name, v -> true), ids)) names.add(name);
            }
        }
        return new ArrayList<>(names);
    }

    /** Values of one label over the series matching the matchers with a chunk in the reader's range (as labelNames). */
    @Override
    public List<String> labelValues(String name, List<Matcher> matchers) {
        TreeSet<String> values = new TreeSet<>();
        for (Block b : blocks) {
            if (matchers.isEmpty() && b.inRange) {
                values.addAll(b.index.labelValues(name));
                continue;
            }
            int[] ids = matchingIds(b, matchers);
            if (ids.length == 0) continue;
            for (String v : b.index.labelValues(name)) {
                if (!values.contains(v) && intersects(b.index.postings(name, v), ids)) values.add(v);
            }
        }
        return new ArrayList<>(values);
    }

    /** Whether a postings list shares an id with a sorted id array (seeks the postings, no label decoding). */
    private static boolean intersects(PostingsIterator p, int[] ids) {
        return Postings.intersect(List.of(p, Postings.of(ids))).next();
    }

    /** Ids of a block's series matching the matchers with a chunk in the reader's range, ascending. */
    private int[] matchingIds(Block block, List<Matcher> matchers) {
        ChunkRefs scratch = new ChunkRefs();
        IntList out = new IntList();
        BlockIndex.SeriesReader r = block.index.seriesReader();
        PostingsIterator it = MatcherPostings.select(block.index, matchers);
        while (it.next()) {
            int id = it.at();
            if (id >= block.limit) break;
            scratch.clear();
            r.chunks(id, scratch);
            if (scratch.size() > 0) out.add(id);
        }
        return out.toArray();
    }

    /** Readers for labels built after selection, one per block, made when first needed. */
    private BlockIndex.SeriesReader[] labelReaders;

    /** Labels of series id of block b (the reader's blocks stay acquired until it closes). */
    synchronized Labels labelsOf(int b, int id) {
        return labelReader(b).labels(id);
    }

    private BlockIndex.SeriesReader labelReader(int b) {
        if (closed) throw new IllegalStateException("store reader closed");
        if (labelReaders == null) labelReaders = new BlockIndex.SeriesReader[blocks.length];
        BlockIndex.SeriesReader r = labelReaders[b];
        if (r == null) r = labelReaders[b] = blocks[b].index.seriesReader();
        return r;
    }

    /** Labels from a label record that block b's index appended at selection. */
    synchronized Labels labelsFromRecord(int b, byte[] records, int offset) {
        return labelReader(b).labelsFromRecord(records, offset);
    }

    /** Counts and logs a chunk missing from block g, and returns the error for the reader of the series. */
    MissingChunkException missingChunk(Generation g, Labels labels, long ref, long minT, long maxT) {
        return store.missingChunk(g, labels, ref, minT, maxT);
    }

    SealedChunkReader borrowSealedReader() {
        synchronized (spareReaders) {
            return spareCount > 0 ? spareReaders[--spareCount] : new SealedChunkReader();
        }
    }

    void returnSealedReader(SealedChunkReader r) {
        synchronized (spareReaders) {
            if (spareCount < spareReaders.length) spareReaders[spareCount++] = r;
        }
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        room.release(reserved);
        reserved = 0;
        for (Block b : blocks) b.gen.release();
        for (Partition p : pinned) store.release(p);
    }

    /** Chunk references of one series in one block that overlap the reader's range. */
    final class ChunkRefs implements BlockIndex.ChunkVisitor {
        int block;
        int seriesId;
        int n;
        long[] ref = new long[4];     // map key (block being written) or chunk file offset (sealed)
        int[] length = new int[4];    // -1 for a map key
        long[] minT = new long[4];
        long[] maxT = new long[4];

        void clear() { n = 0; }

        int size() { return n; }

        @Override
        public void chunk(long r, int len, long min, long max) {
            if (max < mint || min > maxt) return;
            if (n == ref.length) {
                ref = java.util.Arrays.copyOf(ref, n * 2);
                length = java.util.Arrays.copyOf(length, n * 2);
                minT = java.util.Arrays.copyOf(minT, n * 2);
                maxT = java.util.Arrays.copyOf(maxT, n * 2);
            }
            ref[n] = len < 0 ? ChunkValue.key(seriesId, (int) r) : r;
            length[n] = len;
            minT[n] = min;
            maxT[n] = max;
            n++;
        }
    }
}
