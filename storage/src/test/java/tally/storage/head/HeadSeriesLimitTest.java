package tally.storage.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.AppendException;
import tally.model.Labels;
import tally.storage.StorageOptions;

/** --storage.max-head-series: past it new series are refused, existing ones keep taking samples, and a replay restores all. */
class HeadSeriesLimitTest {
    @TempDir
    Path dir;

    private static Labels series(int i) {
        return Labels.of("__name__", "tokens", "session_id", "s" + i);
    }

    @Test
    void newSeriesAreRefusedExistingOnesFlow() throws Exception {
        StorageOptions opts = StorageOptions.defaults(dir).withMaxHeadSeries(2);
        try (HeadRig rig = HeadRig.open(opts)) {
            HeadAppender a = rig.head.appender();
            a.append(0, series(1), 1_000, 1);
            a.append(0, series(2), 1_000, 2);
            AppendException refused = assertThrows(AppendException.class, () -> a.append(0, series(3), 1_000, 3));
            assertEquals(AppendException.Reason.LIMIT, refused.reason());
            assertTrue(refused.getMessage().contains("--storage.max-head-series=2"), refused.getMessage());
            a.append(0, series(1), 2_000, 10); // an existing series in the same batch still goes in
            a.commit();
            assertEquals(2, rig.head.numSeries());

            HeadAppender b = rig.head.appender();
            b.append(0, series(2), 2_000, 20);
            assertThrows(AppendException.class, () -> b.append(0, series(4), 2_000, 4));
            b.commit();
            assertEquals(new TreeMap<>(Map.of(1_000L, 1.0, 2_000L, 10.0)), rig.read(series(1), 0, 10_000));
            assertEquals(new TreeMap<>(Map.of(1_000L, 2.0, 2_000L, 20.0)), rig.read(series(2), 0, 10_000));
            assertEquals(new TreeMap<>(), rig.read(series(3), 0, 10_000));
            rig.crash();
        }
        // a replay restores what the WAL holds, whatever the limit is now
        try (HeadRig rig = HeadRig.open(StorageOptions.defaults(dir).withMaxHeadSeries(1))) {
            assertEquals(2, rig.head.numSeries());
            HeadAppender c = rig.head.appender();
            c.append(0, series(2), 3_000, 30);
            assertThrows(AppendException.class, () -> c.append(0, series(5), 3_000, 5));
            c.commit();
            assertEquals(30.0, rig.read(series(2), 0, 10_000).get(3_000L));
        }
    }
}
