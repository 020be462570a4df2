package tally.storage.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tally.storage.store.StoreTestSupport.DAY;
import static tally.storage.store.StoreTestSupport.all;
import static tally.storage.store.StoreTestSupport.chunk;
import static tally.storage.store.StoreTestSupport.claude;
import static tally.storage.store.StoreTestSupport.readAll;
import static tally.storage.store.StoreTestSupport.tiny;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Labels;
import tally.model.MatchType;
import tally.model.Matcher;
import tally.storage.store.StoreTestSupport.Read;

class ChunkStoreTest {
    @TempDir
    Path dir;

    @Test
    void partitionBoundsHandleNegativeTime() throws Exception {
        try (ChunkStore s = ChunkStore.open(dir, StoreOptions.defaults())) {
            assertEquals(0, s.partitionStart(0));
            assertEquals(DAY, s.partitionEnd(0));
            assertEquals(-DAY, s.partitionStart(-1));
            assertEquals(0, s.partitionEnd(-1));
            assertEquals(-DAY, s.partitionStart(-DAY));
            assertEquals(DAY, s.partitionStart(2 * DAY - 1));
        }
    }

    @Test
    void aGenerationKilledWhileBeingCreatedIsDiscardedAtOpen() throws Exception {
        Labels a = claude("tokens", "s1", "opus");
        try (ChunkStore s = ChunkStore.open(dir, StoreOptions.defaults())) {
            s.write(1, a, chunk(a, 1000), 1000, 1999);
        }
        // what a kill during Chronicle's map initialisation leaves: metadata and a map file with a torn header
        Path partition = dir.resolve("p_0");
        Path half = partition.resolve("g7");
        java.nio.file.Files.createDirectories(half);
        java.nio.file.Files.copy(partition.resolve("g0").resolve(GenerationMeta.FILE), half.resolve(GenerationMeta.FILE));
        java.nio.file.Files.write(half.resolve(Generation.SERIES), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        java.nio.file.Files.write(half.resolve(Generation.CHUNKS), new byte[4096]);
        try (ChunkStore s = ChunkStore.open(dir, StoreOptions.defaults()); StoreReader r = s.reader(0, DAY)) {
            List<Read> got = readAll(r, all(), 0, DAY);
            assertEquals(1, got.size());
            assertEquals(List.of(new String(chunk(a, 1000))), got.get(0).chunks());
        }
        assertFalse(java.nio.file.Files.exists(half), "the half-created generation is removed");
    }

    @Test
    void roundTripAcrossPartitionsIncludingNegativeTimes() throws Exception {
        Labels a = claude("tokens", "s1", "opus");
        long[] starts = {-DAY - 5000, -3000, 1000, DAY + 10, 3 * DAY + 7};
        try (ChunkStore s = ChunkStore.open(dir, StoreOptions.defaults())) {
            for (long t : starts) s.write(1, a, chunk(a, t), t, t + 999);
            try (StoreReader r = s.reader(Long.MIN_VALUE / 2, Long.MAX_VALUE / 2)) {
                List<Read> got = readAll(r, List.of(Matcher.metricName("tokens")), Long.MIN_VALUE / 2, Long.MAX_VALUE / 2);
                assertEquals(1, got.size());
                assertEquals(a, got.get(0).labels());
                assertEquals(starts.length, got.get(0).chunks().size());
                for (int i = 0; i < starts.length; i++) {
                    assertEquals(new String(chunk(a, starts[i])), got.get(0).chunks().get(i));
                    assertArrayEquals(new long[] {starts[i], starts[i] + 999}, got.get(0).ranges().get(i));
                }
            }
            // a range inside the negative partition sees only its chunks
            try (StoreReader r = s.reader(-4000, -2500)) {
                List<Read> got = readAll(r, all(), -4000, -2500);
                assertEquals(1, got.size());
                assertEquals(List.of(new String(chunk(a, -3000))), got.get(0).chunks());
            }
            // chunks(mint, maxt) narrows further than the reader
            try (StoreReader r = s.reader(-DAY * 2, DAY * 5)) {
                List<Read> got = readAll(r, all(), 0, DAY + 10);
                assertEquals(2, got.get(0).chunks().size());
            }
            assertEquals(5, s.stats().partitions());
        }
    }

    @Test
    void equalLabelsMergeAcrossPartitionsAndIdsInTimeOrder() throws Exception {
        Labels a = claude("tokens", "s1", "opus");
        Labels b = claude("tokens", "s2", "opus");
        try (ChunkStore s = ChunkStore.open(dir, StoreOptions.defaults())) {
            s.write(1, a, chunk(a, DAY + 100), DAY + 100, DAY + 200);
            s.write(1, a, chunk(a, 100), 100, 200);
            s.write(7, a, chunk(a, 300), 300, 400);   // re-created under a new id
            s.write(2, b, chunk(b, 150), 150, 250);
            s.write(1, a, chunk(a, 100), 100, 200);   // replayed: replaces, no duplicate
            try (StoreReader r = s.reader(0, 2 * DAY)) {
                List<Read> got = readAll(r, List.of(Matcher.metricName("tokens")), 0, 2 * DAY);
                assertEquals(List.of(a, b), got.stream().map(Read::labels).toList());
                assertEquals(List.of(new String(chunk(a, 100)), new String(chunk(a, 300)), new String(chunk(a, DAY + 100))),
                        got.get(0).chunks());
            }
            assertEquals(4, s.stats().chunks());
        }
    }

    @Test
    void aDifferentChunkWithTheSameRangeIsKeptNotReplaced() throws Exception {
        Labels a = claude("tokens", "s1", "opus");
        byte[] inOrder = "in-order".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] outOfOrder = "out-of-order".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (ChunkStore s = ChunkStore.open(dir, tiny())) {
            s.write(1, a, inOrder, 100, 200);
            s.write(1, a, outOfOrder, 100, 200);  // overlapping data of the same series, same range
            s.write(1, a, outOfOrder, 100, 200);  // replayed: replaces itself, no third chunk
            assertEquals(2, s.stats().chunks());
        }
        // also after a restart that rebuilds the block's index from its maps, and after sealing
        try (ChunkStore s = ChunkStore.open(dir, tiny())) {
            s.write(1, a, inOrder, 100, 200);
            checkBoth(s, a);
            s.sealPartitionsEndingBefore(DAY);
            checkBoth(s, a);
        }
    }

    private static void checkBoth(ChunkStore s, Labels a) {
        try (StoreReader r = s.reader(0, DAY)) {
            List<String> chunks = readAll(r, all(), 0, DAY).get(0).chunks();
            assertEquals(List.of("in-order", "out-of-order"), chunks.stream().sorted().toList());
        }
    }

    @Test
    void matchersLabelNamesAndValuesFollowTimeRangeAndMatchers() throws Exception {
        try (ChunkStore s = ChunkStore.open(dir, StoreOptions.defaults())) {
            Labels day0opus = claude("tokens", "s1", "opus");
            Labels day0noModel = Labels.of("__name__", "cost", "job", "claude-code", "session_id", "s1");
            Labels day1 = Labels.of("__name__", "tokens", "job", "claude-code", "session_id", "s2", "model", "haiku", "type", "input");
            s.write(1, day0opus, chunk(day0opus, 10), 10, 20);
            s.write(2, day0noModel, chunk(day0noModel, 10), 10, 20);
            s.write(3, day1, chunk(day1, DAY + 10), DAY + 10, DAY + 20);
            try (StoreReader r = s.reader(0, 2 * DAY)) {
                assertEquals(List.of(day0noModel), labels(r, List.of(Matcher.equal("model", ""))));
                assertEquals(List.of(day1, day0opus), labels(r, List.of(Matcher.of(MatchType.NOT_EQUAL, "model", ""))));
                assertEquals(List.of(day0noModel, day0opus), labels(r, List.of(Matcher.of(MatchType.NOT_EQUAL, "model", "haiku"))));
                assertEquals(List.of(day0noModel, day1), labels(r, List.of(Matcher.of(MatchType.REGEX, "model", "h.*|"))));
                assertEquals(List.of(day1), labels(r, List.of(Matcher.of(MatchType.NOT_REGEX, "type", ""))));
                assertEquals(List.of("__name__", "job", "model", "session_id", "type"), r.labelNames(List.of()));
                assertEquals(List.of("__name__", "job", "session_id"), r.labelNames(List.of(Matcher.metricName("cost"))));
                assertEquals(List.of("haiku", "opus"), r.labelValues("model", List.of()));
                assertEquals(List.of("opus"), r.labelValues("model", List.of(Matcher.equal("session_id", "s1"))));
                assertEquals(List.of(), r.labelValues("nosuch", List.of()));
            }
            try (StoreReader r = s.reader(0, 1000)) { // only day 0
                assertEquals(List.of("__name__", "job", "model", "session_id"), r.labelNames(List.of()));
                assertEquals(List.of("s1"), r.labelValues("session_id", List.of()));
                assertEquals(List.of(day0noModel, day0opus), labels(r, List.of(Matcher.equal("job", "claude-code"))));
            }
            try (StoreReader r = s.reader(DAY, DAY + 5)) { // day 1, before its chunk
                assertTrue(r.select(List.of(Matcher.metricName("tokens")), true).isEmpty());
                assertTrue(r.labelValues("model", List.of(Matcher.metricName("tokens"))).isEmpty());
            }
        }
    }

    @Test
    void labelNamesAndValuesAgreeWithSelect() throws Exception {
        java.util.Random rnd = new java.util.Random(5);
        try (ChunkStore s = ChunkStore.open(dir, StoreTestSupport.tiny())) {
            for (int i = 0; i < 300; i++) {
                tally.model.LabelsBuilder b = new tally.model.LabelsBuilder().set("__name__", "m" + rnd.nextInt(4))
                        .set("session_id", "s" + rnd.nextInt(30));
                if (rnd.nextBoolean()) b.set("model", "x" + rnd.nextInt(3));
                if (rnd.nextInt(4) == 0) b.set("type", "t" + rnd.nextInt(2));
                Labels l = b.build();
                long t = rnd.nextInt(3) * DAY + rnd.nextInt(1000);
                s.write(i, l, chunk(l, t), t, t + 10);
            }
            s.awaitBackground(); // a block created ahead for a later day counts as open too
            int open = s.stats().openBlocks();
            assertTrue(open >= 3, "one block per day written: " + open);
            s.sealPartitionsEndingBefore(DAY); // day 0 sealed, later days open
            assertEquals(open - 1, s.stats().openBlocks());
            List<List<Matcher>> cases = List.of(List.of(Matcher.metricName("m1")),
                    List.of(Matcher.of(MatchType.REGEX, "model", "x1|")),
                    List.of(Matcher.of(MatchType.NOT_EQUAL, "type", ""), Matcher.of(MatchType.NOT_REGEX, "__name__", "m0")));
            long[][] ranges = {{0, 3 * DAY}, {0, DAY - 1}, {DAY, DAY + 500}, {2 * DAY + 100, 3 * DAY}};
            for (long[] range : ranges) {
                try (StoreReader r = s.reader(range[0], range[1])) {
                    for (List<Matcher> ms : cases) {
                        List<Labels> sel = labels(r, ms);
                        java.util.TreeSet<String> names = new java.util.TreeSet<>();
                        for (Labels l : sel) for (int i = 0; i < l.size(); i++) names.add(l.name(i));
                        assertEquals(List.copyOf(names), r.labelNames(ms), ms + " " + range[0]);
                        for (String n : List.of("model", "session_id", "type")) {
                            java.util.TreeSet<String> vals = new java.util.TreeSet<>();
                            for (Labels l : sel) if (l.get(n) != null) vals.add(l.get(n));
                            assertEquals(List.copyOf(vals), r.labelValues(n, ms), n + " " + ms + " " + range[0]);
                        }
                    }
                }
            }
        }
    }

    private static List<Labels> labels(StoreReader r, List<Matcher> ms) {
        return r.select(ms, true).stream().map(StoredSeries::labels).toList();
    }

    @Test
    void rolloverLosesNothingAndSealedBlocksStayQueryable() throws Exception {
        int series = 120, chunksPerSeries = 4;
        try (ChunkStore s = ChunkStore.open(dir, StoreTestSupport.tiny())) {
            for (int c = 0; c < chunksPerSeries; c++) {
                for (int i = 0; i < series; i++) {
                    Labels l = claude("m" + (i % 10), "sess" + (i / 10), "opus");
                    long t = 1000L * c;
                    s.write(i, l, chunk(l, t), t, t + 500);
                }
            }
            long gens = java.nio.file.Files.list(dir.resolve("p_0")).count();
            assertTrue(gens >= 3, "expected several generations, got " + gens);
            checkAll(s, series, chunksPerSeries);
            s.sealPartitionsEndingBefore(DAY);
            checkAll(s, series, chunksPerSeries);
            assertEquals(series * chunksPerSeries, s.stats().chunks());
        }
        try (ChunkStore s = ChunkStore.open(dir, StoreTestSupport.tiny())) {
            checkAll(s, series, chunksPerSeries);
        }
    }

    static void checkAll(ChunkStore s, int series, int chunksPerSeries) {
        try (StoreReader r = s.reader(0, DAY)) {
            List<Read> got = readAll(r, all(), 0, DAY);
            assertEquals(series, got.size());
            for (Read rd : got) {
                assertEquals(chunksPerSeries, rd.chunks().size(), rd.labels().toString());
                for (int c = 0; c < chunksPerSeries; c++) {
                    assertEquals(new String(chunk(rd.labels(), 1000L * c)), rd.chunks().get(c));
                }
            }
        }
    }

    @Test
    void lateWriteAfterSealingOpensANewGeneration() throws Exception {
        Labels a = claude("tokens", "s1", "opus");
        try (ChunkStore s = ChunkStore.open(dir, StoreOptions.defaults())) {
            s.write(1, a, chunk(a, 10), 10, 20);
            s.applyRetention(2 * DAY); // seals day 0
            s.write(1, a, chunk(a, 30), 30, 40);
            try (StoreReader r = s.reader(0, DAY)) {
                List<Read> got = readAll(r, all(), 0, DAY);
                assertEquals(1, got.size());
                assertEquals(2, got.get(0).chunks().size());
            }
        }
    }

    @Test
    void readerOpenedBeforeSealingKeepsReadingAndMapGoesAfter() throws Exception {
        Labels a = claude("tokens", "s1", "opus");
        try (ChunkStore s = ChunkStore.open(dir, StoreOptions.defaults())) {
            s.write(1, a, chunk(a, 10), 10, 20);
            Path g0 = dir.resolve("p_0").resolve("g0");
            StoreReader before = s.reader(0, DAY);
            s.sealPartitionsEndingBefore(DAY);
            assertTrue(java.nio.file.Files.exists(g0.resolve(Generation.CHUNKS)), "kept for the open reader");
            List<Read> got = readAll(before, all(), 0, DAY);
            assertEquals(List.of(new String(chunk(a, 10))), got.get(0).chunks());
            before.close();
            assertFalse(java.nio.file.Files.exists(g0.resolve(Generation.CHUNKS)));
            assertFalse(java.nio.file.Files.exists(g0.resolve(Generation.SERIES)));
            try (StoreReader after = s.reader(0, DAY)) {
                assertEquals(List.of(new String(chunk(a, 10))), readAll(after, all(), 0, DAY).get(0).chunks());
            }
        }
    }

    @Test
    void nextPartitionIsPreparedInTheLastQuarter() throws Exception {
        Labels a = claude("tokens", "s1", "opus");
        try (ChunkStore s = ChunkStore.open(dir, StoreTestSupport.tiny())) {
            s.write(1, a, chunk(a, 10), 10, 20);
            s.awaitBackground();
            assertFalse(java.nio.file.Files.exists(dir.resolve("p_" + DAY)));
            long late = DAY * 4 / 5;
            s.write(1, a, chunk(a, late), late, late + 10);
            s.awaitBackground();
            assertTrue(java.nio.file.Files.exists(dir.resolve("p_" + DAY).resolve("g0").resolve(Generation.CHUNKS)));
            s.write(1, a, chunk(a, DAY + 5), DAY + 5, DAY + 10);
            try (StoreReader r = s.reader(0, 2 * DAY)) {
                assertEquals(3, readAll(r, all(), 0, 2 * DAY).get(0).chunks().size());
            }
        }
    }

    @Test
    void emptyStoreReadsNothing() throws Exception {
        try (ChunkStore s = ChunkStore.open(dir, StoreOptions.defaults()); StoreReader r = s.reader(0, DAY)) {
            assertTrue(r.select(all(), false).isEmpty());
            assertTrue(r.labelNames(List.of()).isEmpty());
            assertFalse(s.stats().partitions() > 0);
        }
    }
}
