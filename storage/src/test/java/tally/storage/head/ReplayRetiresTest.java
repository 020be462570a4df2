package tally.storage.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Labels;
import tally.storage.MemoryBudget;
import tally.storage.StorageOptions;
import tally.storage.store.ChunkStore;
import tally.storage.wal.Wal;

/**
 * A WAL replay needs the memory the live head needed, not the memory of everything since the last checkpoint:
 * series retired while the log was written are retired at the same point of the replay (RETIRED records), and
 * sealed chunks move to the store once they pass the pending budget. Every sample is still there afterwards.
 */
class ReplayRetiresTest {
    @TempDir
    Path dir;

    private static final long MIN = 60_000L;

    private StorageOptions opts() {
        // a tiny pending budget, so the replay moves chunks out many times
        return StorageOptions.defaults(dir).withSamplesPerChunk(4).withIdleSeriesMillis(30 * MIN)
                .withMemory(new MemoryBudget(100_000, 2048, 1 << 20, 1 << 21, 0.85, 1 << 20));
    }

    private static Labels session(int k, int metric) {
        return Labels.of("__name__", "tokens" + metric, "session_id", "s" + k);
    }

    @Test
    void replayRetiresWhereTheLiveHeadDidAndKeepsEverySample() throws Exception {
        int sessions = 60;
        try (HeadRig rig = HeadRig.open(opts())) {
            for (int k = 0; k < sessions; k++) {
                HeadAppender a = rig.head.appender();
                for (int m = 0; m < 3; m++) {
                    for (int i = 0; i < 10; i++) a.append(0, session(k, m), (k * 60 + i) * MIN, k * 100 + i);
                }
                a.commit();
                rig.flusher.retireIdle(); // as the maintenance thread does in step with data time
                assertTrue(rig.head.numSeries() <= 6, "the live head holds about one session: " + rig.head.numSeries());
            }
            rig.crash(); // no checkpoint since the start: the WAL holds all 60 sessions
        }
        // replay by hand, to look at the head before the flush that follows every open
        ChunkStore store = ChunkStore.open(dir.resolve("chunks"), opts().store());
        Wal wal = Wal.open(dir.resolve("wal"), opts().wal());
        Head head = new Head(opts(), store, wal);
        HeadFlusher flusher = new HeadFlusher(head);
        new HeadReplayer(head, flusher).replay();
        assertTrue(head.numSeries() <= 6, "the replayed head holds what the live one held at the end: " + head.numSeries());
        assertEquals(sessions * 3 - head.numSeries(), head.stats.seriesRemoved.sum(), "retired during the replay");
        assertTrue(head.pendingBytes() < 2048 + 4096, "sealed chunks left during the replay: " + head.pendingBytes());
        wal.close();
        store.close();

        try (HeadRig rig = HeadRig.open(opts())) {
            for (int k = 0; k < sessions; k++) {
                for (int m = 0; m < 3; m++) {
                    TreeMap<Long, Double> want = new TreeMap<>();
                    for (int i = 0; i < 10; i++) want.put((k * 60 + i) * MIN, (double) (k * 100 + i));
                    assertEquals(want, rig.read(session(k, m), 0, sessions * 60 * MIN), "session " + k + " metric " + m);
                }
            }
        }
    }
}
