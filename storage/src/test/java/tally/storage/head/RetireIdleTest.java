package tally.storage.head;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Labels;
import tally.storage.StorageOptions;

/** Retiring idle series between checkpoints (a backfill) keeps every sample, before and after a crash. */
class RetireIdleTest {
    @TempDir
    Path dir;

    private static final long MIN = 60_000L;
    private final Labels session = Labels.of("__name__", "tokens", "session_id", "s1");
    private final Labels later = Labels.of("__name__", "tokens", "session_id", "s2");

    private StorageOptions opts() {
        return StorageOptions.defaults(dir).withSamplesPerChunk(4).withIdleSeriesMillis(30 * MIN);
    }

    private void append(HeadRig rig, Labels l, long fromMin, int n) throws Exception {
        HeadAppender a = rig.head.appender();
        for (int i = 0; i < n; i++) a.append(0, l, (fromMin + i) * MIN, fromMin + i);
        a.commit();
    }

    private static TreeMap<Long, Double> expected(long fromMin, int n) {
        TreeMap<Long, Double> m = new TreeMap<>();
        for (int i = 0; i < n; i++) m.put((fromMin + i) * MIN, (double) (fromMin + i));
        return m;
    }

    @Test
    void retiredSeriesLeaveTheHeadAndSurviveACrashBeforeTheCheckpoint() throws Exception {
        try (HeadRig rig = HeadRig.open(opts())) {
            append(rig, session, 0, 10);       // minutes 0-9, then idle
            append(rig, later, 120, 3);        // two hours later in data time
            assertEquals(2, rig.head.numSeries());

            int written = rig.flusher.retireIdle();
            assertEquals(1, rig.head.numSeries(), "the idle session left the head");
            assertEquals(3, written, "its two full chunks and its idle open chunk went to the store");
            assertEquals(expected(0, 10), rig.read(session, 0, 200 * MIN));
            rig.crash();                       // no checkpoint since: the WAL still holds everything
        }
        try (HeadRig rig = HeadRig.open(opts())) {
            assertEquals(expected(0, 10), rig.read(session, 0, 200 * MIN), "replayed over the chunks already stored");
            assertEquals(expected(120, 3), rig.read(later, 0, 200 * MIN));
            append(rig, session, 200, 2);      // the session comes back: one series again, not two
            TreeMap<Long, Double> both = expected(0, 10);
            both.putAll(expected(200, 2));
            assertEquals(both, rig.read(session, 0, 300 * MIN));
        }
    }

    @Test
    void aCheckpointAfterRetiringKeepsEverySample() throws Exception {
        try (HeadRig rig = HeadRig.open(opts())) {
            append(rig, session, 0, 7);
            append(rig, later, 60, 5);
            rig.flusher.retireIdle();
            rig.flusher.flush(false);          // syncs what retiring wrote, then drops the old segments
            append(rig, later, 65, 2);
            rig.crash();
        }
        try (HeadRig rig = HeadRig.open(opts())) {
            assertEquals(expected(0, 7), rig.read(session, 0, 200 * MIN));
            assertEquals(expected(60, 7), rig.read(later, 0, 200 * MIN));
        }
    }
}
