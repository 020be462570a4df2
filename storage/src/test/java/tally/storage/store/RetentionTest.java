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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Labels;

class RetentionTest {
    @TempDir
    Path dir;

    private static void fillDays(ChunkStore s, int days) {
        for (int d = 0; d < days; d++) {
            for (int i = 0; i < 5; i++) {
                Labels l = claude("tokens", "d" + d + "s" + i, "opus");
                long t = d * DAY + 1000;
                s.write(i, l, chunk(l, t), t, t + 100);
            }
        }
    }

    @Test
    void deletesPartitionsOlderThanRetention() throws Exception {
        StoreOptions o = StoreTestSupport.tiny().withRetention(2 * DAY, 0);
        try (ChunkStore s = ChunkStore.open(dir, o)) {
            fillDays(s, 4);
            assertEquals(4, s.stats().partitions());
            s.applyRetention(4 * DAY); // keeps partitions ending after 2 d: days 2 and 3
            assertEquals(2, s.stats().partitions());
            assertFalse(Files.exists(dir.resolve("p_0")));
            assertFalse(Files.exists(dir.resolve("p_" + DAY)));
            try (StoreReader r = s.reader(0, 4 * DAY)) {
                assertEquals(10, readAll(r, all(), 0, 4 * DAY).size());
            }
        }
    }

    @Test
    void deletesOldestWhileOverSizeButNeverTheNewest() throws Exception {
        try (ChunkStore s = ChunkStore.open(dir, StoreTestSupport.tiny())) {
            fillDays(s, 3);
        }
        long total;
        try (ChunkStore s = ChunkStore.open(dir, StoreTestSupport.tiny())) {
            s.applyRetention(3 * DAY); // seals days 0 and 1, deletes nothing
            total = s.stats().diskBytes();
            assertEquals(3, s.stats().partitions());
        }
        StoreOptions o = StoreTestSupport.tiny().withRetention(1000 * DAY, total - 1);
        try (ChunkStore s = ChunkStore.open(dir, o)) {
            s.applyRetention(3 * DAY);
            assertEquals(2, s.stats().partitions());
            assertFalse(Files.exists(dir.resolve("p_0")), "oldest deleted");
            assertTrue(Files.exists(dir.resolve("p_" + DAY)));
        }
        StoreOptions tiny = StoreTestSupport.tiny().withRetention(1000 * DAY, 1);
        try (ChunkStore s = ChunkStore.open(dir, tiny)) {
            s.applyRetention(3 * DAY);
            assertEquals(1, s.stats().partitions());
        }
    }

    @Test
    void partitionInUseIsDeletedWhenItsReaderCloses() throws Exception {
        StoreOptions o = StoreTestSupport.tiny().withRetention(DAY, 0);
        try (ChunkStore s = ChunkStore.open(dir, o)) {
            fillDays(s, 2);
            StoreReader r = s.reader(0, DAY - 1);
            s.applyRetention(2 * DAY + 1);
            assertEquals(1, s.stats().partitions());
            assertTrue(Files.exists(dir.resolve("p_0")), "deferred while read");
            assertEquals(5, readAll(r, all(), 0, DAY).size());
            r.close();
            assertFalse(Files.exists(dir.resolve("p_0")));
            try (StoreReader r2 = s.reader(0, DAY - 1)) {
                assertTrue(r2.select(all(), false).isEmpty());
            }
        }
    }
}
