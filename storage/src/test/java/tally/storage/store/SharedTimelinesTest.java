package tally.storage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static tally.storage.store.StoreTestSupport.DAY;
import static tally.storage.store.StoreTestSupport.all;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Labels;
import tally.storage.chunk.ChunkEncoder;
import tally.storage.chunk.ChunkIterator;

/**
 * Sealing with shared timelines: session-like series in both temporalities, unrelated series whose instants
 * collide with a session's, a series bridging two sessions, and opaque (non-chunk) bytes all read back exactly
 * before sealing, after sealing and after reopening; a seal cut short before the index rename changes nothing.
 */
class SharedTimelinesTest {
    private static final long STALE = 0x7ff0000000000002L;

    @TempDir
    Path tmp;

    /** What was written: per series, its samples (or its opaque chunk strings). */
    private final Map<Labels, List<long[]>> samples = new HashMap<>();
    private final Map<Labels, List<String>> opaque = new HashMap<>();
    private long chunkBytesWritten;
    private int nextId;

    private static StoreOptions options() {
        return new StoreOptions(DAY, 1000 * DAY, 0, 4000, 20_000);
    }

    @Test
    void sealedBlockWithSharedTimelinesReadsBackExactly() throws Exception {
        Path dir = tmp.resolve("db");
        try (ChunkStore s = ChunkStore.open(dir, options())) {
            writeWorkload(s, new SplittableRandom(11));
            checkAll(s);
            s.sealPartitionsEndingBefore(2 * DAY);
            Path g0 = dir.resolve("p_0").resolve("g0");
            assertTrue(Files.exists(g0.resolve(Generation.INDEX)), "sealed");
            assertTrue(Files.exists(g0.resolve(BlockTimelines.FILE)), "timelines written");
            StoreStats st = s.stats();
            // timelines included, the block's sample bytes shrink by more than 10 %
            assertTrue(st.chunkBytes() < chunkBytesWritten * 0.9, st.chunkBytes() + " vs " + chunkBytesWritten);
            checkAll(s);
        }
        try (ChunkStore s = ChunkStore.open(dir, options())) {
            checkAll(s);
        }
    }

    /**
     * Planning in segments far smaller than the block (hundreds of segments, some sessions cut in two) reads back
     * exactly and still shares: bounded planning memory does not cost the format anything but a few bytes.
     */
    @Test
    void smallPlanningSegmentsReadBackExactlyAndStillShare() throws Exception {
        Path dir = tmp.resolve("db");
        int before = TimelineSharing.segmentSamples;
        TimelineSharing.segmentSamples = 500;
        try (ChunkStore s = ChunkStore.open(dir, options())) {
            writeWorkload(s, new SplittableRandom(11));
            s.sealPartitionsEndingBefore(2 * DAY);
            Path g0 = dir.resolve("p_0").resolve("g0");
            assertTrue(Files.exists(g0.resolve(Generation.INDEX)), "sealed");
            BlockTimelines t = BlockTimelines.read(g0.resolve(BlockTimelines.FILE));
            assertTrue(t.count() > 20, t.count() + " timelines");
            assertTrue(s.stats().chunkBytes() < chunkBytesWritten * 0.9, s.stats().chunkBytes() + " vs " + chunkBytesWritten);
            checkAll(s);
        } finally {
            TimelineSharing.segmentSamples = before;
        }
        try (ChunkStore s = ChunkStore.open(dir, options())) {
            checkAll(s);
        }
    }

    /**
     * Series scraped at their own phases share no instant: the planner sees that in its first samples and copies
     * the block as it is (no timelines.bin, the chunks' own bytes); every sample reads back.
     */
    @Test
    void seriesAtTheirOwnPhasesAreCopiedWithoutPlanning() throws Exception {
        Path dir = tmp.resolve("db");
        int segment = TimelineSharing.segmentSamples, probe = TimelineSharing.probeSamples;
        TimelineSharing.segmentSamples = 2000;
        TimelineSharing.probeSamples = 300;
        try (ChunkStore s = ChunkStore.open(dir, options())) {
            SplittableRandom r = new SplittableRandom(5);
            for (int k = 0; k < 300; k++) {
                long phase = 1 + r.nextInt(14_999);
                List<Long> ts = new ArrayList<>();
                for (int i = 0; i < 200; i++) ts.add(phase + i * 15_000L + r.nextInt(-50, 51));
                writeSeries(s, Labels.of("__name__", "up", "instance", "target-" + k), ts, r);
            }
            s.sealPartitionsEndingBefore(2 * DAY);
            Path g0 = dir.resolve("p_0").resolve("g0");
            assertTrue(Files.exists(g0.resolve(Generation.INDEX)), "sealed");
            assertFalse(Files.exists(g0.resolve(BlockTimelines.FILE)), "nothing shared");
            assertEquals(chunkBytesWritten, s.stats().chunkBytes());
            checkAll(s);
        } finally {
            TimelineSharing.segmentSamples = segment;
            TimelineSharing.probeSamples = probe;
        }
        try (ChunkStore s = ChunkStore.open(dir, options())) {
            checkAll(s);
        }
    }

    /** A block sealed without sharing (as before shared timelines existed) reads unchanged; nothing to share, no file. */
    @Test
    void blocksWithoutTimelinesReadUnchanged() throws Exception {
        Path dir = tmp.resolve("db");
        System.setProperty(Generation.SHARED_TIMELINES_PROPERTY, "false");
        try (ChunkStore s = ChunkStore.open(dir, options())) {
            writeWorkload(s, new SplittableRandom(14));
            s.sealPartitionsEndingBefore(2 * DAY);
            assertEquals(chunkBytesWritten, s.stats().chunkBytes());
        } finally {
            System.clearProperty(Generation.SHARED_TIMELINES_PROPERTY);
        }
        Path g0 = dir.resolve("p_0").resolve("g0");
        assertTrue(Files.exists(g0.resolve(Generation.INDEX)));
        assertFalse(Files.exists(g0.resolve(BlockTimelines.FILE)));
        try (ChunkStore s = ChunkStore.open(dir, options())) {
            checkAll(s);
        }
        // only opaque chunks and single series: no timeline pays for itself, so no timelines.bin
        Path other = tmp.resolve("db2");
        samples.clear();
        opaque.clear();
        try (ChunkStore s = ChunkStore.open(other, options())) {
            writeSeries(s, Labels.of("__name__", "alone"), List.of(1000L, 61_000L, 121_002L), new SplittableRandom(1));
            s.write(nextId++, Labels.of("__name__", "opaque"), "xyz".getBytes(StandardCharsets.UTF_8), 5000, 6000);
            opaque.put(Labels.of("__name__", "opaque"), List.of("xyz"));
            s.sealPartitionsEndingBefore(2 * DAY);
            assertTrue(Files.exists(other.resolve("p_0").resolve("g0").resolve(Generation.INDEX)));
            assertFalse(Files.exists(other.resolve("p_0").resolve("g0").resolve(BlockTimelines.FILE)));
            checkAll(s);
        }
    }

    @Test
    void timelinesFileRoundTripsAndRejectsDamage() throws Exception {
        long[] a = {-5, 1000, 61_003};
        long[] b = {Long.MIN_VALUE / 4, 0, Long.MAX_VALUE / 4};
        Path f = tmp.resolve(BlockTimelines.FILE);
        BlockTimelines.write(f, List.of(tally.storage.chunk.ChunkTimestamps.encodeTimeline(a, 3),
            tally.storage.chunk.ChunkTimestamps.encodeTimeline(b, 3)));
        BlockTimelines t = BlockTimelines.read(f);
        assertEquals(2, t.count());
        assertTrue(java.util.Arrays.equals(a, t.get(0)));
        assertTrue(java.util.Arrays.equals(b, t.get(1)));
        assertTrue(t.get(1) == t.get(1), "decoded once");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> t.get(2));
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> BlockTimelines.read(f));
        bytes[0] = 'X';
        Files.write(f, bytes);
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> BlockTimelines.read(f));
    }

    /** Cursors of many series advanced in turn, each finished cursor's buffer going to the next one created. */
    @Test
    void interleavedCursorsKeepTheirOwnBytes() throws Exception {
        try (ChunkStore s = ChunkStore.open(tmp.resolve("db"), options())) {
            writeWorkload(s, new SplittableRandom(13));
            s.sealPartitionsEndingBefore(2 * DAY);
            ChunkIterator it = new ChunkIterator();
            try (StoreReader r = s.reader(0, 2 * DAY)) {
                List<StoredSeries> series = new ArrayList<>(r.select(all(), true));
                series.removeIf(x -> opaque.containsKey(x.labels()));
                List<ChunkCursor> cursors = new ArrayList<>();
                int[] seen = new int[series.size()];
                int live = series.size();
                for (int round = 0; live > 0; round++) {
                    live = 0;
                    for (int k = 0; k < series.size(); k++) {
                        if (cursors.size() <= k) cursors.add(series.get(k).chunks(0, 2 * DAY));
                        if (seen[k] < 0 || !cursors.get(k).next()) {
                            if (seen[k] >= 0) assertEquals(samples.get(series.get(k).labels()).size(), seen[k]);
                            seen[k] = -1;
                            if (round % 3 == 0 && k % 7 == 0) cursors.set(k, series.get(k).chunks(0, 2 * DAY)); // a fresh, unread cursor
                            continue;
                        }
                        live++;
                        List<long[]> exp = samples.get(series.get(k).labels());
                        ChunkCursor c = cursors.get(k);
                        it.reset(c.array(), c.offset(), c.length());
                        while (it.next()) {
                            long[] e = exp.get(seen[k]++);
                            assertEquals(e[0], it.atT());
                            assertEquals(e[1], Double.doubleToRawLongBits(it.atV()));
                        }
                    }
                }
            }
        }
    }

    @Test
    void sealCutShortBeforeTheIndexRenameIsDiscarded() throws Exception {
        Path dir = tmp.resolve("db");
        try (ChunkStore s = ChunkStore.open(dir, options())) {
            writeWorkload(s, new SplittableRandom(12));
        }
        // a seal that renamed timelines.bin (and left temp files) but died before index.bin's rename
        Path g0 = dir.resolve("p_0").resolve("g0");
        Files.write(g0.resolve(BlockTimelines.FILE), new byte[] {'T', 'L', 'N', '1', 1, 3, 9, 9, 9});
        Files.write(g0.resolve(BlockTimelines.FILE + ".tmp"), new byte[] {1, 2, 3});
        Files.write(g0.resolve(Generation.CHUNK_FILE), new byte[] {0x51, 7, 0});
        Files.deleteIfExists(dir.resolve(ChunkStore.CLEAN_MARKER));
        try (ChunkStore s = ChunkStore.open(dir, options())) {
            assertFalse(Files.exists(g0.resolve(BlockTimelines.FILE)));
            assertFalse(Files.exists(g0.resolve(BlockTimelines.FILE + ".tmp")));
            checkAll(s);
            s.sealPartitionsEndingBefore(2 * DAY);
            assertTrue(Files.exists(g0.resolve(BlockTimelines.FILE)));
            checkAll(s);
        }
    }

    // ---- workload

    private void writeWorkload(ChunkStore s, SplittableRandom r) {
        List<long[]> sessionInstants = new ArrayList<>();
        for (int k = 0; k < 40; k++) {
            boolean cumulative = k % 2 == 0;
            long[] instants = sessionInstants(r, 20 + r.nextInt(300));
            sessionInstants.add(instants);
            int series = 6 + r.nextInt(12);
            for (int j = 0; j < series; j++) {
                Labels l = Labels.of("__name__", "m" + j, "session_id", "s" + k);
                List<Long> ts = new ArrayList<>();
                if (cumulative) {
                    int from = j == 0 ? 0 : r.nextInt(instants.length);
                    for (int i = from; i < instants.length; i++) ts.add(instants[i]);
                } else {
                    double p = 0.2 + r.nextDouble() * 0.8;
                    for (long t : instants) if (r.nextDouble() < p) ts.add(t);
                }
                writeSeries(s, l, ts, r);
            }
        }
        // unrelated series: one instant of a session, two instants of two sessions each, a session's exact instants
        long[] a = sessionInstants.get(0), b = sessionInstants.get(1);
        writeSeries(s, Labels.of("__name__", "collide1"), List.of(a[0] + 5, a[3], a[3] + 17, a[3] + 29), r);
        writeSeries(s, Labels.of("__name__", "bridge"), List.of(a[1], a[2], b[1], b[2], b[2] + 1), r);
        List<Long> copy = new ArrayList<>();
        for (long t : b) copy.add(t);
        writeSeries(s, Labels.of("__name__", "sameInstants", "job", "other"), copy, r);
        writeSeries(s, Labels.of("__name__", "single"), List.of(a[5]), r);
        // opaque bytes: the store must keep them verbatim
        for (int i = 0; i < 5; i++) {
            Labels l = Labels.of("__name__", "opaque", "i", "" + i);
            String c = "chunk-" + i;
            s.write(nextId++, l, c.getBytes(StandardCharsets.UTF_8), a[i], a[i] + 10);
            opaque.computeIfAbsent(l, x -> new ArrayList<>()).add(c);
            chunkBytesWritten += c.length();
        }
    }

    /** Export instants of one session: a random start, 60 s apart plus 0-8 ms drift each, and an exit flush. */
    private static long[] sessionInstants(SplittableRandom r, int minutes) {
        long[] t = new long[minutes + 1];
        long cur = r.nextLong(DAY / 2);
        for (int i = 0; i < minutes; i++) {
            t[i] = cur;
            cur += 60_000 + (r.nextBoolean() ? 0 : r.nextInt(1, 9));
        }
        t[minutes] = t[minutes - 1] + r.nextInt(100, 59_000);
        return t;
    }

    /** Writes the series as chunks of at most 120 samples with counter-like values, some special. */
    private void writeSeries(ChunkStore s, Labels l, List<Long> ts, SplittableRandom r) {
        if (ts.isEmpty()) return;
        ts = new ArrayList<>(new java.util.TreeSet<>(ts));
        long id = nextId++;
        List<long[]> all = samples.computeIfAbsent(l, x -> new ArrayList<>());
        double v = r.nextInt(100);
        ChunkEncoder enc = new ChunkEncoder();
        for (int i = 0; i < ts.size(); i++) {
            int roll = r.nextInt(50);
            double x = roll == 0 ? Double.longBitsToDouble(STALE) : roll == 1 ? Double.NaN : (v += r.nextInt(3) == 0 ? 0 : r.nextInt(1, 5000) / 100.0);
            enc.append(ts.get(i), x);
            all.add(new long[] {ts.get(i), Double.doubleToRawLongBits(x)});
            if (enc.numSamples() == 120 || i == ts.size() - 1) {
                byte[] c = enc.toBytes();
                s.write(id, l, c, enc.minT(), enc.maxT());
                chunkBytesWritten += c.length;
                enc.reset();
            }
        }
    }

    private void checkAll(ChunkStore s) {
        ChunkIterator it = new ChunkIterator();
        int seen = 0;
        try (StoreReader r = s.reader(0, 2 * DAY)) {
            for (StoredSeries ss : r.select(all(), true)) {
                seen++;
                ChunkCursor c = ss.chunks(0, 2 * DAY);
                List<String> want = opaque.get(ss.labels());
                if (want != null) {
                    List<String> got = new ArrayList<>();
                    while (c.next()) got.add(new String(c.array(), c.offset(), c.length(), StandardCharsets.UTF_8));
                    assertEquals(want, got, ss.labels().toString());
                    continue;
                }
                List<long[]> exp = samples.get(ss.labels());
                int i = 0;
                while (c.next()) {
                    it.reset(c.array(), c.offset(), c.length());
                    while (it.next()) {
                        if (i >= exp.size()) fail(ss.labels() + ": extra sample at " + it.atT());
                        long[] e = exp.get(i++);
                        if (e[0] != it.atT() || e[1] != Double.doubleToRawLongBits(it.atV())) {
                            fail(ss.labels() + " sample " + (i - 1) + ": want " + e[0] + "/" + Double.longBitsToDouble(e[1])
                                + " got " + it.atT() + "/" + it.atV());
                        }
                    }
                    assertTrue(c.minT() <= c.maxT());
                }
                assertEquals(exp.size(), i, ss.labels().toString());
            }
        }
        assertEquals(samples.size() + opaque.size(), seen);
    }
}
