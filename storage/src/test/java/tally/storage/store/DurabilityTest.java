package tally.storage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tally.storage.store.StoreTestSupport.DAY;
import static tally.storage.store.StoreTestSupport.all;
import static tally.storage.store.StoreTestSupport.chunk;
import static tally.storage.store.StoreTestSupport.claude;
import static tally.storage.store.StoreTestSupport.readAll;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Labels;
import tally.storage.store.StoreTestSupport.Read;

/** Reopening after a clean close and after a crash (files captured while the store is open, no marker). */
class DurabilityTest {
    @TempDir
    Path tmp;

    private static void writeSeries(ChunkStore s, int from, int to, long t) {
        for (int i = from; i < to; i++) {
            Labels l = claude("m" + (i % 7), "sess" + (i / 7), "opus");
            s.write(i, l, chunk(l, t), t, t + 100);
        }
    }

    private static void check(ChunkStore s, int series, int chunksEach) {
        try (StoreReader r = s.reader(0, DAY)) {
            List<Read> got = readAll(r, all(), 0, DAY);
            assertEquals(series, got.size());
            for (Read rd : got) {
                assertEquals(chunksEach, rd.chunks().size(), rd.labels().toString());
                assertEquals(new String(chunk(rd.labels(), 1000)), rd.chunks().get(0));
            }
        }
    }

    @Test
    void reopenAfterCleanCloseKeepsDataAndTakesWrites() throws Exception {
        Path dir = tmp.resolve("db");
        try (ChunkStore s = ChunkStore.open(dir, StoreTestSupport.tiny())) {
            writeSeries(s, 0, 70, 1000);
        }
        assertTrue(Files.exists(dir.resolve(ChunkStore.CLEAN_MARKER)));
        try (ChunkStore s = ChunkStore.open(dir, StoreTestSupport.tiny())) {
            assertFalse(Files.exists(dir.resolve(ChunkStore.CLEAN_MARKER)), "marker consumed while open");
            check(s, 70, 1);
            writeSeries(s, 0, 70, 2000);
            check(s, 70, 2);
            assertEquals(140, s.stats().chunks());
        }
        try (ChunkStore s = ChunkStore.open(dir, StoreTestSupport.tiny())) {
            check(s, 70, 2);
        }
    }

    @Test
    void reopenAfterUncleanShutdownRecoversEverything() throws Exception {
        Path dir = tmp.resolve("db");
        Path crashed = tmp.resolve("crashed");
        try (ChunkStore s = ChunkStore.open(dir, StoreTestSupport.tiny())) {
            writeSeries(s, 0, 70, 1000);
            // what a SIGKILL leaves: the mapped files as the page cache holds them, no marker
            s.awaitBackground(); // a copy is not atomic like a crash: let background sealing settle first
            copyTree(dir, crashed);
        }
        assertFalse(Files.exists(crashed.resolve(ChunkStore.CLEAN_MARKER)));
        try (ChunkStore s = ChunkStore.open(crashed, StoreTestSupport.tiny())) {
            check(s, 70, 1);
            writeSeries(s, 0, 70, 2000);
            check(s, 70, 2);
        }
        try (ChunkStore s = ChunkStore.open(crashed, StoreTestSupport.tiny())) {
            check(s, 70, 2);
        }
    }

    @Test
    void crashDuringSealingIsRepaired() throws Exception {
        Path dir = tmp.resolve("db");
        try (ChunkStore s = ChunkStore.open(dir, StoreTestSupport.tiny())) {
            writeSeries(s, 0, 10, 1000);
        }
        // a seal that wrote the index but died before deleting the series map
        Path g0 = dir.resolve("p_0").resolve("g0");
        Path seriesCopy = tmp.resolve("series.copy");
        Files.copy(g0.resolve(Generation.SERIES), seriesCopy);
        try (ChunkStore s = ChunkStore.open(dir, StoreTestSupport.tiny())) {
            s.sealPartitionsEndingBefore(DAY);
        }
        Files.copy(seriesCopy, g0.resolve(Generation.SERIES));
        Files.delete(dir.resolve(ChunkStore.CLEAN_MARKER));
        try (ChunkStore s = ChunkStore.open(dir, StoreTestSupport.tiny())) {
            assertFalse(Files.exists(g0.resolve(Generation.SERIES)));
            check(s, 10, 1);
        }
    }

    @Test
    void blockCreationCutShortByACrashIsDropped() throws Exception {
        Path dir = tmp.resolve("db");
        try (ChunkStore s = ChunkStore.open(dir, StoreTestSupport.tiny())) {
            writeSeries(s, 0, 10, 1000);
        }
        Path half = dir.resolve("p_0").resolve("g7");
        Files.createDirectories(half);
        Files.copy(dir.resolve("p_0").resolve("g0").resolve(GenerationMeta.FILE), half.resolve(GenerationMeta.FILE));
        Files.delete(dir.resolve(ChunkStore.CLEAN_MARKER));
        try (ChunkStore s = ChunkStore.open(dir, StoreTestSupport.tiny())) {
            assertFalse(Files.exists(half));
            check(s, 10, 1);
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target); else Files.copy(p, target);
            }
        }
    }
}
