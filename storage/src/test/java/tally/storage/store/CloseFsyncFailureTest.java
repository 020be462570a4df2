package tally.storage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tally.storage.store.StoreTestSupport.DAY;
import static tally.storage.store.StoreTestSupport.all;
import static tally.storage.store.StoreTestSupport.chunk;
import static tally.storage.store.StoreTestSupport.claude;
import static tally.storage.store.StoreTestSupport.readAll;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Appender;
import tally.model.Labels;
import tally.model.Matcher;
import tally.model.Querier;
import tally.model.SampleIterator;
import tally.model.SelectHints;
import tally.model.SeriesSet;
import tally.storage.StorageOptions;
import tally.storage.TallyStorage;

/**
 * An fsync that fails at close (injected through {@link Generation#injectedSyncFailures}) leaves no clean-shutdown
 * marker: the next open recovers the maps as after a crash, and every sample is still there.
 */
class CloseFsyncFailureTest {
    @TempDir
    Path tmp;

    @AfterEach
    void noMoreFaults() {
        Generation.injectedSyncFailures.set(0);
    }

    @Test
    void storeCloseWithAFailedFsyncLeavesNoMarker() throws Exception {
        Path dir = tmp.resolve("store");
        ChunkStore s = ChunkStore.open(dir, StoreTestSupport.tiny());
        for (int i = 0; i < 10; i++) {
            Labels l = claude("m", "sess" + i, "opus");
            s.write(i, l, chunk(l, 1000), 1000, 1100);
        }
        Generation.injectedSyncFailures.set(-1);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, s::close);
        assertTrue(e.getCause().getMessage().contains("injected fsync failure"), e.toString());
        assertFalse(Files.exists(dir.resolve(ChunkStore.CLEAN_MARKER)), "no clean marker after a failed fsync");

        Generation.injectedSyncFailures.set(0);
        try (ChunkStore again = ChunkStore.open(dir, StoreTestSupport.tiny());
             StoreReader r = again.reader(0, DAY)) {
            assertEquals(10, readAll(r, all(), 0, DAY).size());
        }
        assertTrue(Files.exists(dir.resolve(ChunkStore.CLEAN_MARKER)), "a clean close marks it again");
    }

    @Test
    void storageCloseWithAFailedFsyncIsReportedAndRecoveredAtTheNextOpen() throws Exception {
        Path dir = tmp.resolve("db");
        StorageOptions opts = StorageOptions.defaults(dir).withSamplesPerChunk(16).withFlushIntervalMillis(3_600_000L);
        Labels series = Labels.of("__name__", "up", "job", "a");
        List<long[]> written = new ArrayList<>();
        TallyStorage s = TallyStorage.open(opts);
        Appender a = s.appender();
        long t0 = System.currentTimeMillis() - 3_600_000L; // today: the day's blocks are Chronicle Maps, which close fsyncs
        for (int i = 0; i < 100; i++) {
            a.append(0, series, t0 + i * 15_000L, i);
            written.add(new long[] {t0 + i * 15_000L, i});
        }
        a.commit();
        s.flush();

        Generation.injectedSyncFailures.set(-1);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, s::close);
        assertTrue(String.valueOf(e.getCause()).contains("injected fsync failure"), e.toString());
        assertFalse(Files.exists(dir.resolve("chunks").resolve(ChunkStore.CLEAN_MARKER)), "no clean marker after a failed fsync");

        Generation.injectedSyncFailures.set(0);
        try (TallyStorage again = TallyStorage.open(opts); // the failed close released the lock all the same
             Querier q = again.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            SeriesSet set = q.select(false, SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE), List.of(Matcher.metricName("up")));
            assertTrue(set.next());
            SampleIterator it = set.at().iterator(null);
            for (long[] w : written) {
                assertTrue(it.next());
                assertEquals(w[0], it.atT());
                assertEquals((double) w[1], it.atV());
            }
            assertFalse(it.next());
        }
    }
}
