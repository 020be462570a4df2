package tally.storage.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tally.storage.chunk.ChunkHeader;
import tally.storage.chunk.ChunkTimestamps;
import tally.storage.index.MutableIndex;
import tally.storage.index.MutableSeries;

/**
 * Plans, at sealing, which chunks of a block get external timestamps (docs/storage-layout.md, "timelines.bin").
 *
 * <p>Chunks that share instants belong to one session (every series of a Claude Code session is exported at
 * the same instants, with a drift of its own). Pass 1 groups chunks by union-find: a chunk joins the group of
 * any earlier chunk with which it shares at least two instants (one for a one-sample chunk), so an unrelated
 * series that happens to hit one instant of another session does not merge the two. A group's timeline is
 * the union of its chunks' instants. Pass 2 measures, per chunk, its size with external timestamps (a run of
 * slots, or a bitmap over them when it skips some); a timeline is kept when its chunks save more than it
 * costs. {@link #rewrite} then re-encodes each chunk of a kept timeline when that is smaller.
 * Any chunk that does not decode, or whose header disagrees with the index, is left as it is.
 */
final class TimelineSharing {
    /** Reads chunk (series id, seq) of the block being sealed, without the map's header. */
    @FunctionalInterface
    interface ChunkSource {
        byte[] read(int seriesId, int seq) throws IOException;
    }

    /** Longer chunks are not shared (bounds the scratch arrays a corrupt header could ask for). */
    private static final int MAX_SAMPLES = 1 << 20;
    private static final int MAX_CANDIDATES = 8;

    private final ChunkSource source;
    private final ChunkTimestamps reader = new ChunkTimestamps();
    private int[] slots = new int[128];

    // one entry per chunk ("ordinal"), in series then write order
    private final LongIntMap ordinalOfKey;
    private long[] keys;
    private long[] minT;
    private long[] maxT;
    private int chunks;
    /** Union-find over ordinals; -1 for a chunk that takes no part. */
    private int[] parent;
    /** Per ordinal: its group after pass 1, then (after pass 2) the group it saves bytes with, or -1. */
    private int[] groupOf;

    // timelines of the groups: instants of group g in pool[start[g], start[g] + length[g])
    private long[] pool;
    private int[] start;
    private int[] length;
    private int[] timelineOfGroup;
    private final List<byte[]> timelines = new ArrayList<>();

    private TimelineSharing(ChunkSource source, int expectedChunks) {
        this.source = source;
        this.ordinalOfKey = new LongIntMap(expectedChunks);
        int cap = Math.max(16, expectedChunks);
        keys = new long[cap];
        minT = new long[cap];
        maxT = new long[cap];
    }

    /** Plans the sharing of a block's chunks. */
    static TimelineSharing plan(MutableIndex index, ChunkSource source) throws IOException {
        long expected = 0;
        for (int id = 0; id < index.seriesCount(); id++) {
            MutableSeries s = index.series(id);
            if (s != null) expected += s.chunkCount();
        }
        TimelineSharing p = new TimelineSharing(source, (int) Math.min(expected, 1 << 28));
        for (int id = 0; id < index.seriesCount(); id++) {
            MutableSeries s = index.series(id);
            if (s == null) continue;
            int sid = id;
            s.forEachChunk((seq, len, min, max) -> p.addChunk(ChunkValue.key(sid, (int) seq), min, max));
        }
        p.group();
        p.chooseTimelines();
        return p;
    }

    /** Encoded timelines, by timeline id. */
    List<byte[]> timelines() {
        return timelines;
    }

    /** The bytes to store for this chunk: external when its group's timeline is kept and that is smaller. */
    byte[] rewrite(int seriesId, int seq, byte[] chunk) {
        int ord = ordinalOfKey.get(ChunkValue.key(seriesId, seq));
        if (ord < 0) return chunk;
        int g = groupOf[ord];
        if (g < 0 || timelineOfGroup[g] < 0) return chunk;
        int n = decode(chunk, ord);
        if (n <= 0 || !locate(g, n)) return chunk;
        int id = timelineOfGroup[g];
        if (reader.externalSize(id, slots) >= chunk.length) return chunk;
        return reader.toExternal(id, slots);
    }

    private void addChunk(long key, long min, long max) {
        if (chunks == keys.length) {
            int cap = chunks * 2;
            keys = Arrays.copyOf(keys, cap);
            minT = Arrays.copyOf(minT, cap);
            maxT = Arrays.copyOf(maxT, cap);
        }
        keys[chunks] = key;
        minT[chunks] = min;
        maxT[chunks] = max;
        ordinalOfKey.put(key, chunks);
        chunks++;
    }

    /** Reads and decodes the chunk's timestamps; the sample count, or -1 when it takes no part in sharing. */
    private int decode(byte[] c, int ord) {
        try {
            int n = ChunkHeader.numSamples(c, 0, c.length);
            if (n < 1 || n > MAX_SAMPLES || (maxT[ord] - minT[ord]) < n - 1 || (maxT[ord] - minT[ord]) < 0) return -1;
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

    // ---- pass 1: groups of chunks that share instants

    private void group() throws IOException {
        parent = new int[chunks];
        LongIntMap owner = new LongIntMap(Math.max(16, chunks * 2));
        long[] extraT = new long[64];   // instants a group holds that the owner map attributes to another group
        int[] extraOrd = new int[64];
        int extra = 0;
        int[] candRoot = new int[MAX_CANDIDATES];
        int[] candHits = new int[MAX_CANDIDATES];
        for (int ord = 0; ord < chunks; ord++) {
            parent[ord] = ord;
            int n = decode(source.read(ChunkValue.seriesId(keys[ord]), ChunkValue.seq(keys[ord])), ord);
            if (n <= 0) {
                parent[ord] = -1;
                continue;
            }
            long[] t = reader.times();
            int cands = 0;
            for (int i = 0; i < n; i++) {
                int o = owner.get(t[i]);
                if (o < 0) continue;
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
        collectInstants(owner, extraT, extraOrd, extra);
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
    private void collectInstants(LongIntMap owner, long[] extraT, int[] extraOrd, int extra) {
        int[] groupOfRoot = new int[chunks];
        Arrays.fill(groupOfRoot, -1);
        groupOf = new int[chunks];
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
        start = new int[groups + 1];
        for (int s = 0; s < owner.capacity(); s++) {
            if (owner.valueAt(s) >= 0) start[groupOf[owner.valueAt(s)] + 1]++;
        }
        for (int e = 0; e < extra; e++) start[groupOf[extraOrd[e]] + 1]++;
        for (int g = 0; g < groups; g++) start[g + 1] += start[g];
        pool = new long[start[groups]];
        int[] fill = Arrays.copyOf(start, groups);
        for (int s = 0; s < owner.capacity(); s++) {
            if (owner.valueAt(s) >= 0) pool[fill[groupOf[owner.valueAt(s)]]++] = owner.keyAt(s);
        }
        for (int e = 0; e < extra; e++) pool[fill[groupOf[extraOrd[e]]]++] = extraT[e];
        length = new int[groups];
        for (int g = 0; g < groups; g++) {
            Arrays.sort(pool, start[g], start[g + 1]);
            int w = start[g];
            for (int i = start[g]; i < start[g + 1]; i++) {
                if (i == start[g] || pool[i] != pool[w - 1]) pool[w++] = pool[i];
            }
            length[g] = w - start[g];
        }
    }

    // ---- pass 2: which timelines pay for themselves

    private void chooseTimelines() throws IOException {
        int groups = length.length;
        long[] saving = new long[groups];
        for (int ord = 0; ord < chunks; ord++) {
            int g = groupOf[ord];
            if (g < 0) continue;
            byte[] c = source.read(ChunkValue.seriesId(keys[ord]), ChunkValue.seq(keys[ord]));
            int n = decode(c, ord);
            // the final id is at most g, so g's varint size is an upper bound of the real cost
            int s = n > 0 && locate(g, n) ? c.length - reader.externalSize(g, slots) : 0;
            if (s > 0) {
                saving[g] += s;
            } else {
                groupOf[ord] = -1;
            }
        }
        timelineOfGroup = new int[groups];
        Arrays.fill(timelineOfGroup, -1);
        for (int g = 0; g < groups; g++) {
            if (saving[g] <= 0) continue;
            byte[] enc = ChunkTimestamps.encodeTimeline(Arrays.copyOfRange(pool, start[g], start[g] + length[g]), length[g]);
            if (saving[g] > enc.length + 2) {
                timelineOfGroup[g] = timelines.size();
                timelines.add(enc);
            }
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
