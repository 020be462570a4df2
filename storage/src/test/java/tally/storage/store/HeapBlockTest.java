package tally.storage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tally.storage.store.StoreTestSupport.DAY;
import static tally.storage.store.StoreTestSupport.all;
import static tally.storage.store.StoreTestSupport.chunk;
import static tally.storage.store.StoreTestSupport.claude;
import static tally.storage.store.StoreTestSupport.readAll;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Labels;
import tally.storage.store.StoreTestSupport.Read;

/** Past days (a backfill) are written into heap blocks and reach the disk only in the sealed form. */
class HeapBlockTest {
    @TempDir
    Path dir;

    private final Labels a = claude("tokens", "s1", "opus");
    private final Labels b = claude("cost", "s1", "opus");

    private static StoreOptions heap() {
        return StoreOptions.defaults().withPastDaysInHeap(true);
    }

    private static List<String> chunks(List<Read> reads) {
        List<String> out = new ArrayList<>();
        for (Read r : reads) out.addAll(r.chunks());
        return out;
    }

    @Test
    void aPastDayIsReadableFromTheHeapAndWrittenOnlyWhenSealed() throws Exception {
        try (ChunkStore s = ChunkStore.open(dir, heap())) {
            s.write(1, a, chunk(a, 1000), 1000, 1999);
            s.write(2, b, chunk(b, 2000), 2000, 2999);
            assertFalse(Files.exists(dir.resolve("p_0").resolve("g0")), "nothing on disk before sealing");
            assertEquals(1, s.stats().openBlocks());
            try (StoreReader r = s.reader(0, DAY)) {
                assertEquals(java.util.Set.of(new String(chunk(a, 1000)), new String(chunk(b, 2000))),
                        new java.util.HashSet<>(chunks(readAll(r, all(), 0, DAY))));
            }

            s.sync(); // durability for a WAL checkpoint: the heap block is sealed
            Path g0 = dir.resolve("p_0").resolve("g0");
            assertTrue(Files.exists(g0.resolve(Generation.INDEX)));
            assertFalse(Files.exists(g0.resolve(Generation.CHUNKS)), "no Chronicle map for a past day");
            assertFalse(Files.exists(g0.resolve(Generation.SERIES)));
            assertEquals(0, s.stats().openBlocks());

            // a late chunk of the same day opens another heap block; a replayed chunk lands again
            s.write(1, a, chunk(a, 5000), 5000, 5999);
            s.sync();
            assertTrue(Files.exists(dir.resolve("p_0").resolve("g1").resolve(Generation.INDEX)));
        }
        try (ChunkStore s = ChunkStore.open(dir, heap()); StoreReader r = s.reader(0, DAY)) {
            List<Read> got = readAll(r, all(), 0, DAY);
            assertEquals(2, got.size());
            List<String> all = chunks(got);
            assertTrue(all.contains(new String(chunk(a, 1000))));
            assertTrue(all.contains(new String(chunk(a, 5000))));
            assertTrue(all.contains(new String(chunk(b, 2000))));
            assertEquals(3, all.size());
        }
    }

    @Test
    void aHeapBlockNotYetSealedLeavesNothingBehindWhenTheProcessDies() throws Exception {
        ChunkStore s = ChunkStore.open(dir, heap());
        s.write(1, a, chunk(a, 1000), 1000, 1999);
        // no sync, no close: as after SIGKILL (the samples are still in the WAL, which replays them)
        try (ChunkStore again = ChunkStore.open(dir.resolveSibling(dir.getFileName() + "-copy"), heap())) {
            assertEquals(0, again.stats().chunks());
        }
        assertFalse(Files.exists(dir.resolve("p_0").resolve("g0")));
        s.close(); // a clean close seals it
        assertTrue(Files.exists(dir.resolve("p_0").resolve("g0").resolve(Generation.INDEX)));
    }

    @Test
    void theLiveDayStillUsesChronicleMaps() throws Exception {
        long today = Math.floorDiv(System.currentTimeMillis(), DAY) * DAY;
        try (ChunkStore s = ChunkStore.open(dir, heap())) {
            s.write(1, a, chunk(a, today + 1000), today + 1000, today + 1999);
            assertTrue(Files.exists(dir.resolve("p_" + today).resolve("g0").resolve(Generation.CHUNKS)));
        }
    }

    @Test
    void retentionSealsAFinishedHeapBlock() throws Exception {
        try (ChunkStore s = ChunkStore.open(dir, heap())) {
            s.write(1, a, chunk(a, 1000), 1000, 1999);
            s.write(1, a, chunk(a, 3 * DAY), 3 * DAY, 3 * DAY + 999);
            s.applyRetention(3 * DAY); // day 0 ended more than the sealing grace before the newest data
            assertTrue(Files.exists(dir.resolve("p_0").resolve("g0").resolve(Generation.INDEX)));
            try (StoreReader r = s.reader(0, 4 * DAY)) {
                assertEquals(2, chunks(readAll(r, all(), 0, 4 * DAY)).size());
            }
        }
    }

    @Test
    void aHeapBlockPastItsBudgetIsSealedAndTheDayContinuesInANewOne() throws Exception {
        // a block takes a few series (each is estimated at its labels, index entries and chunk)
        try (ChunkStore s = ChunkStore.open(dir, heap().withHeapBlocks(3000, 1L << 30))) {
            List<String> want = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Labels l = claude("tokens", "s" + i, "opus");
                s.write(i, l, chunk(l, 1000 + i), 1000 + i, 1999 + i);
                want.add(new String(chunk(l, 1000 + i)));
            }
            s.awaitBackground();
            long sealedBlocks;
            try (java.util.stream.Stream<Path> gens = Files.list(dir.resolve("p_0"))) {
                sealedBlocks = gens.filter(g -> Files.exists(g.resolve(Generation.INDEX))).count();
            }
            assertTrue(sealedBlocks >= 2, "full heap blocks were sealed while the day went on: " + sealedBlocks);
            try (StoreReader r = s.reader(0, DAY)) {
                List<String> got = chunks(readAll(r, all(), 0, DAY));
                assertEquals(new java.util.HashSet<>(want), new java.util.HashSet<>(got));
                assertEquals(40, got.size());
            }
        }
        try (ChunkStore s = ChunkStore.open(dir, heap()); StoreReader r = s.reader(0, DAY)) {
            assertEquals(40, chunks(readAll(r, all(), 0, DAY)).size(), "after close and reopen");
        }
    }

    /**
     * Five past days written at once, each block far under its own cap: together they pass the heap budget, and
     * the writer seals the largest itself, so the estimate never passes the budget by more than the last write.
     */
    @Test
    void heapBlocksTogetherStayWithinTheirBudget() throws Exception {
        long budget = 40_000;
        List<String> want = new ArrayList<>();
        try (ChunkStore s = ChunkStore.open(dir, heap().withHeapBlocks(budget, budget))) {
            long peak = 0;
            for (int i = 0; i < 400; i++) {
                long day = (i % 5) * DAY;
                Labels l = claude("tokens", "s" + i, "opus");
                s.write(i, l, chunk(l, day + 1000 + i), day + 1000 + i, day + 1999 + i);
                want.add(new String(chunk(l, day + 1000 + i)));
                long now = s.stats().heapBlockBytes();
                assertTrue(now <= budget + 2000, "heap blocks " + now + " after write " + i);
                peak = Math.max(peak, now);
            }
            assertTrue(peak > budget / 2, "the budget was reached: " + peak);
            try (StoreReader r = s.reader(0, 5 * DAY)) {
                assertEquals(new java.util.HashSet<>(want), new java.util.HashSet<>(chunks(readAll(r, all(), 0, 5 * DAY))));
            }
        }
        try (ChunkStore s = ChunkStore.open(dir, heap()); StoreReader r = s.reader(0, 5 * DAY)) {
            assertEquals(400, chunks(readAll(r, all(), 0, 5 * DAY)).size(), "after close and reopen");
        }
    }
}
