package tally.storage.store;

import java.io.IOException;
import java.util.Arrays;
import tally.storage.chunk.ChunkHeader;
import tally.storage.chunk.ChunkTimestamps;
import tally.storage.index.MutableIndex;
import tally.storage.index.MutableSeries;

/**
 * Decides, while a block is sealed, which chunks get external timestamps (docs/storage-layout.md, "timelines.bin").
 *
 * <p><b>Memory is bounded by design, whatever the block holds.</b> The block's chunks are taken in the order
 * the index writer copies them (series id, then seq) and planned in <i>segments</i> of at most
 * {@link #segmentSamples} samples: every planning structure (instant map, groups, timelines) is for one
 * segment and is reused by the next, and kept timelines go straight to {@link BlockTimelines.Writer} on disk. A block
 * of series that never share an instant (targets scraped at their own phases) costs the same scratch as one
 * that shares all of them. Series of one Claude Code session get consecutive ids, so a session nearly always
 * falls inside one segment; a session cut by a segment boundary shares within each part.
 *
 * <p><b>Sharing is given up where it cannot pay.</b> A segment is grouped for its first {@link #probeSamples}
 * samples; when under 1 % of their instants were seen before, the rest of the segment is only counted. After
 * four such segments in a row the rest of the block is copied as it is, without reading it twice more.
 *
 * <p>Within a segment, chunks that share instants belong to one session (every series of a session is exported
 * at the same instants, with a drift of its own). Pass 1 groups chunks by union-find: a chunk joins the group of
 * any earlier chunk with which it shares at least two instants (one for a one-sample chunk), so an unrelated
 * series that happens to hit one instant of another session does not merge the two. A group's timeline is the
 * union of its chunks' instants. Pass 2 measures, per chunk, its size with external timestamps (a run of slots,
 * or a bitmap over them when it skips some); a timeline is kept when its chunks save more than it costs.
 * {@link #rewrite} then re-encodes each chunk of a kept timeline when that is smaller. Any chunk that does not
 * decode, or whose header disagrees with the index, is left as it is.
 */
final class TimelineSharing {
    /** Reads chunk (series id, seq) of the block being sealed, without the map's header. */
    @FunctionalInterface
    interface ChunkSource {
        byte[] read(int seriesId, int seq) throws IOException;
    }

    /**
     * Samples planned together at most (a single longer chunk takes no part): a power of two, 1/512 of the heap
     * between 64 Ki and 512 Ki samples, so the planning scratch (~24 bytes per sample) stays a few percent of the
     * heap; two seals may run at once. Tests lower it.
     */
    static int segmentSamples = Integer.highestOneBit((int) Math.max(1 << 16, Math.min(1 << 19, Runtime.getRuntime().maxMemory() / 512)));
    /**
     * Samples of a segment grouped before deciding whether it shares at all: when fewer than 1 % of their instants
     * were seen before in the segment, the rest of it is only counted, not decoded or grouped. Tests lower it.
     */
    static int probeSamples = 1 << 15;
    /** Segments in a row without sharing after which the rest of the block is copied as it is. */
    private static final int GIVE_UP_AFTER = 4;
    private static final int MAX_CANDIDATES = 8;
    private static final System.Logger LOG = System.getLogger(TimelineSharing.class.getName());

    private final MutableIndex index;
    private final ChunkSource source;
    private final BlockTimelines.Writer out;
    private final int budget;
    private final ChunkTimestamps reader = new ChunkTimestamps();
    private int[] slots = new int[128];
    private boolean failed;
    /** The block does not share: every remaining chunk is stored as it is, without planning. */
    private boolean passThrough;
    private int segmentsWithoutSharing;
    /** Samples of the segment whose instants another chunk of it had already (pass 1). */
    private long hits;

    // where planning continues: chunk planChunk of series planSeries (its chunks copied into seriesKeys...)
    private int planSeries;
    private int planChunk;
    private int seriesChunks = -1;       // chunks of planSeries, -1 before they are collected
    private long[] seriesSeq = new long[8], seriesMin = new long[8], seriesMax = new long[8];

    // the segment being rewritten: its chunks in writer order, "ordinals" 0..chunks-1
    private long[] keys = new long[256];
    private long[] minT = new long[256];
    private long[] maxT = new long[256];
    private int chunks;
    private int consumed;                // ordinals already handed to rewrite()
    /** Union-find over ordinals; -1 for a chunk that takes no part. */
    private int[] parent = new int[256];
    /** Per ordinal: its group after pass 1, then (after pass 2) the group it saves bytes with, or -1. */
    private int[] groupOf = new int[256];
    private final LongIntMap owner;
    private long[] extraT = new long[64];   // instants a group holds that the owner map attributes to another group
    private int[] extraOrd = new int[64];
    private int extra;
    private final int[] candRoot = new int[MAX_CANDIDATES];
    private final int[] candHits = new int[MAX_CANDIDATES];

    // timelines of the segment's groups: instants of group g in pool[start[g], start[g] + length[g])
    private long[] pool = new long[1024];
    private int[] start = new int[64];
    private int[] length = new int[64];
    private int[] timelineOfGroup = new int[64];
    private int[] groupOfRoot = new int[256];
    private int groupCount;
    private long[] saving = new long[64];

    private TimelineSharing(MutableIndex index, ChunkSource source, BlockTimelines.Writer out, int budget) {
        this.index = index;
        this.source = source;
        this.out = out;
        this.budget = budget;
        this.owner = new LongIntMap(budget);
    }

    /** A planner for the block behind {@code index}; its kept timelines go to {@code out}. */
    static TimelineSharing start(MutableIndex index, ChunkSource source, BlockTimelines.Writer out) {
        return new TimelineSharing(index, source, out, segmentSamples);
    }

    /**
     * The bytes to store for chunk (seriesId, seq): external when its group's timeline is kept and that is
     * smaller. Must be called for every chunk of the block in the writer's order (series id, then seq).
     */
    byte[] rewrite(int seriesId, int seq, byte[] chunk) throws IOException {
        if (failed || passThrough) return chunk;
        if (consumed == chunks) {
            try {
                planNextSegment();
            } catch (RuntimeException e) { // sharing only saves bytes: seal the rest without it rather than not at all
                LOG.log(System.Logger.Level.WARNING, "sealing the rest of a block without shared timelines", e);
                failed = true;
                return chunk;
            }
        }
        long key = ChunkValue.key(seriesId, seq);
        if (consumed == chunks || keys[consumed] != key) return chunk; // not the order planned: leave it as it is
        int ord = consumed++;
        int g = groupOf[ord];
        if (g < 0 || timelineOfGroup[g] < 0) return chunk;
        int n = decode(chunk, ord);
        if (n <= 0 || !locate(g, n)) return chunk;
        int id = timelineOfGroup[g];
        if (reader.externalSize(id, slots) >= chunk.length) return chunk;
        return reader.toExternal(id, slots);
    }

    // ---- segments

    /** Collects the next chunks up to the sample budget, groups them and chooses their timelines. */
    private void planNextSegment() throws IOException {
        chunks = 0;
        consumed = 0;
        extra = 0;
        owner.clear();
        hits = 0;
        int samples = 0;
        boolean probing = true;
        while (planSeries < index.seriesCount()) {
            if (seriesChunks < 0) collectSeriesChunks();
            if (planChunk == seriesChunks) {
                planSeries++;
                planChunk = 0;
                seriesChunks = -1;
                continue;
            }
            int ord = addChunk(ChunkValue.key(planSeries, (int) seriesSeq[planChunk]), seriesMin[planChunk], seriesMax[planChunk]);
            byte[] c = source.read(planSeries, (int) seriesSeq[planChunk]);
            int n = probing ? decode(c, ord) : count(c);
            if (n > 0 && samples + n > budget && chunks > 1) {
                chunks--; // starts the next segment
                break;
            }
            planChunk++;
            if (probing && n > 0) {
                samples += n;
                join(ord, n);
                // nothing shared so far: a block of series scraped at their own phases. Counting is enough
                if (samples >= probeSamples && hits * 100 < samples) probing = false;
            } else {
                if (n > 0) samples += n;
                parent[ord] = -1;
            }
        }
        if (chunks == 0) return;
        if (!probing) {
            Arrays.fill(groupOf, 0, chunks, -1);
            if (++segmentsWithoutSharing == GIVE_UP_AFTER) passThrough = true;
            return;
        }
        segmentsWithoutSharing = 0;
        collectInstants();
        chooseTimelines();
    }

    /** The chunk's sample count from its header (1 when it does not tell: a chunk this codec does not read). */
    private int count(byte[] c) {
        try {
            return Math.max(1, Math.min(budget, ChunkHeader.numSamples(c, 0, c.length)));
        } catch (RuntimeException e) {
            return 1;
        }
    }

    private void collectSeriesChunks() {
        MutableSeries s = index.series(planSeries);
        seriesChunks = 0;
        if (s == null) return;
        s.forEachChunk((seq, len, min, max) -> {
            if (seriesChunks == seriesSeq.length) {
                seriesSeq = Arrays.copyOf(seriesSeq, seriesChunks * 2);
                seriesMin = Arrays.copyOf(seriesMin, seriesChunks * 2);
                seriesMax = Arrays.copyOf(seriesMax, seriesChunks * 2);
            }
            seriesSeq[seriesChunks] = seq;
            seriesMin[seriesChunks] = min;
            seriesMax[seriesChunks++] = max;
        });
    }

    private int addChunk(long key, long min, long max) {
        if (chunks == keys.length) {
            int cap = chunks * 2;
            keys = Arrays.copyOf(keys, cap);
            minT = Arrays.copyOf(minT, cap);
            maxT = Arrays.copyOf(maxT, cap);
            parent = Arrays.copyOf(parent, cap);
            groupOf = Arrays.copyOf(groupOf, cap);
        }
        keys[chunks] = key;
        minT[chunks] = min;
        maxT[chunks] = max;
        return chunks++;
    }

    /** Reads and decodes the chunk's timestamps; the sample count, or -1 when it takes no part in sharing. */
    private int decode(byte[] c, int ord) {
        try {
            int n = ChunkHeader.numSamples(c, 0, c.length);
            if (n < 1 || n > budget || (maxT[ord] - minT[ord]) < n - 1 || (maxT[ord] - minT[ord]) < 0) return -1;
            if (ChunkTimestamps.isExternal(c, 0, c.length)) return -1;
            if (ChunkHeader.minT(c, 0, c.length) != minT[ord] || ChunkHeader.maxT(c, 0, c.length) != maxT[ord]) return -1;
            if (reader.read(c, 0, c.length) != n) return -1;
            long[] t = reader.times();
            for (int i = 1; i < n; i++) {
                if (t[i] <= t[i - 1]) return -1;
            }
            if (t[0] != minT[ord] || t[n - 1] != maxT[ord]) return -1;
            return n;
        } catch (RuntimeException e) { // not a chunk this codec reads: store it as it is
            return -1;
        }
    }

    // ---- pass 1: groups of chunks that share instants (the decoded chunk's times are in the reader)

    private void join(int ord, int n) {
        parent[ord] = ord;
        long[] t = reader.times();
        int cands = 0;
        for (int i = 0; i < n; i++) {
            int o = owner.get(t[i]);
            if (o < 0) continue;
            hits++;
            int r = find(o);
            int c = 0;
            while (c < cands && candRoot[c] != r) c++;
            if (c == cands) {
                if (cands == MAX_CANDIDATES) continue;
                candRoot[cands] = r;
                candHits[cands++] = 0;
            }
            candHits[c]++;
        }
        int need = Math.min(2, n);
        for (int c = 0; c < cands; c++) {
            if (candHits[c] >= need) union(ord, candRoot[c]);
        }
        int root = find(ord);
        for (int i = 0; i < n; i++) {
            int o = owner.get(t[i]);
            if (o < 0) {
                owner.put(t[i], ord);
            } else if (find(o) != root) {
                if (extra == extraT.length) {
                    extraT = Arrays.copyOf(extraT, extra * 2);
                    extraOrd = Arrays.copyOf(extraOrd, extra * 2);
                }
                extraT[extra] = t[i];
                extraOrd[extra++] = ord;
            }
        }
    }

    private int find(int x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }

    private void union(int a, int b) {
        int ra = find(a), rb = find(b);
        if (ra != rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }

    /** Every group's instants, sorted and distinct, into {@link #pool}; {@link #groupOf} per ordinal. */
    private void collectInstants() {
        if (groupOfRoot.length < chunks) groupOfRoot = new int[keys.length];
        Arrays.fill(groupOfRoot, 0, chunks, -1);
        int groups = 0;
        for (int ord = 0; ord < chunks; ord++) {
            if (parent[ord] < 0) {
                groupOf[ord] = -1;
                continue;
            }
            int r = find(ord);
            if (groupOfRoot[r] < 0) groupOfRoot[r] = groups++;
            groupOf[ord] = groupOfRoot[r];
        }
        if (start.length < groups + 1) {
            int cap = Math.max(groups + 1, start.length * 2);
            start = new int[cap];
            length = new int[cap];
            timelineOfGroup = new int[cap];
            saving = new long[cap];
        }
        Arrays.fill(start, 0, groups + 1, 0);
        for (int s = 0; s < owner.capacity(); s++) {
            if (owner.valueAt(s) >= 0) start[groupOf[owner.valueAt(s)] + 1]++;
        }
        for (int e = 0; e < extra; e++) start[groupOf[extraOrd[e]] + 1]++;
        for (int g = 0; g < groups; g++) start[g + 1] += start[g];
        if (pool.length < start[groups]) pool = new long[Math.max(start[groups], pool.length * 2)];
        int[] fill = Arrays.copyOf(start, groups);
        for (int s = 0; s < owner.capacity(); s++) {
            if (owner.valueAt(s) >= 0) pool[fill[groupOf[owner.valueAt(s)]]++] = owner.keyAt(s);
        }
        for (int e = 0; e < extra; e++) pool[fill[groupOf[extraOrd[e]]]++] = extraT[e];
        for (int g = 0; g < groups; g++) {
            Arrays.sort(pool, start[g], start[g + 1]);
            int w = start[g];
            for (int i = start[g]; i < start[g + 1]; i++) {
                if (i == start[g] || pool[i] != pool[w - 1]) pool[w++] = pool[i];
            }
            length[g] = w - start[g];
        }
        groupCount = groups;
    }

    // ---- pass 2: which timelines pay for themselves

    private void chooseTimelines() throws IOException {
        int groups = groupCount;
        Arrays.fill(saving, 0, groups, 0);
        int firstId = out.count();
        for (int ord = 0; ord < chunks; ord++) {
            int g = groupOf[ord];
            if (g < 0) continue;
            byte[] c = source.read(ChunkValue.seriesId(keys[ord]), ChunkValue.seq(keys[ord]));
            int n = decode(c, ord);
            // the final id is at most firstId + g, so its varint size bounds the real cost
            int s = n > 0 && locate(g, n) ? c.length - reader.externalSize(firstId + g, slots) : 0;
            if (s > 0) {
                saving[g] += s;
            } else {
                groupOf[ord] = -1;
            }
        }
        for (int g = 0; g < groups; g++) {
            timelineOfGroup[g] = -1;
            if (saving[g] <= 0) continue;
            byte[] enc = ChunkTimestamps.encodeTimeline(Arrays.copyOfRange(pool, start[g], start[g] + length[g]), length[g]);
            if (saving[g] > enc.length + 2) timelineOfGroup[g] = out.add(enc);
        }
    }

    /** Fills {@link #slots} with the positions of the decoded timestamps in group g's timeline; false if one is missing. */
    private boolean locate(int g, int n) {
        if (slots.length < n) slots = new int[Math.max(n, slots.length * 2)];
        long[] t = reader.times();
        int from = start[g], to = start[g] + length[g];
        int at = Arrays.binarySearch(pool, from, to, t[0]);
        if (at < 0) return false;
        for (int i = 0; i < n; i++) {
            while (at < to && pool[at] < t[i]) at++;
            if (at == to || pool[at] != t[i]) return false;
            slots[i] = at - from;
        }
        return true;
    }
}
