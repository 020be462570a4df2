package tally.storage.wal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Labels;
import tally.model.StaleNaN;

class WalRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void specialValuesTimestampsAndUnicodeLabelsRoundTrip() throws IOException {
        Labels ascii = Labels.of("__name__", "claude_code_cost_usage_USD_total", "session_id", "a1b2");
        Labels unicode = Labels.of("__name__", "métrique_ü", "emoji", "😀 \u0000 ✓", "中文", "值");
        Labels empty = Labels.EMPTY;
        long[] times = {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1_700_000_000_123L, -9_000_000_000_000L, 42};
        double[] values = {Double.NaN, StaleNaN.VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0,
                Double.MIN_VALUE, Double.MAX_VALUE, 1.5, Double.longBitsToDouble(0x7ff8dead0000beefL)};
        List<Recorded.Sample> expected = new ArrayList<>();
        try (Wal wal = Wal.open(dir, WalOptions.defaults())) {
            wal.replay(new Recorded());
            WalBatch b = new WalBatch();
            b.series(1, ascii);
            b.series(-7, unicode);
            b.series(Long.MAX_VALUE, empty);
            long[] ids = {1, -7, Long.MAX_VALUE};
            for (int i = 0; i < times.length; i++) {
                for (int j = 0; j < values.length; j++) {
                    long id = ids[(i + j) % ids.length];
                    b.sample(id, times[i], values[j]);
                    expected.add(Recorded.Sample.of(id, times[i], values[j]));
                }
            }
            wal.write(b);
        }
        Recorded r = Recorded.replay(dir, WalOptions.defaults());
        assertEquals(ascii, r.series.get(1L));
        assertEquals(unicode, r.series.get(-7L));
        assertEquals(empty, r.series.get(Long.MAX_VALUE));
        assertEquals(expected, r.samples);
        assertEquals(0, r.stats.tornBytesTruncated());
        assertEquals(3, r.stats.series());
        assertEquals(expected.size(), r.stats.samples());
        assertTrue(StaleNaN.is(Double.longBitsToDouble(r.samples.get(1).bits())));
    }

    /** RETIRED records come back in order, at their place among the samples, ids of any size and sign included. */
    @Test
    void retiredSeriesReplayAtTheirPlaceInTheLog() throws IOException {
        long[] ids = new long[10_000]; // more than one record's worth
        for (int i = 0; i < ids.length; i++) ids[i] = i % 3 == 0 ? -i : (long) i * 1_000_003L;
        ids[1] = Long.MAX_VALUE;
        ids[2] = Long.MIN_VALUE;
        try (Wal wal = Wal.open(dir, WalOptions.defaults())) {
            wal.replay(new Recorded());
            WalBatch b = new WalBatch();
            b.series(5, Labels.of("__name__", "a"));
            b.sample(5, 1000, 1);
            wal.write(b);
            WalBatch retired = new WalBatch();
            for (long id : ids) retired.retired(id);
            wal.write(retired);
            WalBatch after = new WalBatch();
            after.series(6, Labels.of("__name__", "a"));
            after.sample(6, 2000, 2);
            wal.write(after);
        }
        Recorded r = Recorded.replay(dir, WalOptions.defaults());
        assertEquals(ids.length, r.retired.size());
        for (int i = 0; i < ids.length; i++) {
            assertEquals(ids[i], r.retired.get(i)[0]);
            assertEquals(1, r.retired.get(i)[1], "after the first batch's sample, before the next one's");
        }
        assertEquals(2, r.samples.size());
        assertEquals(0, r.stats.tornBytesTruncated());
    }

    @Test
    void largeBatchesSplitIntoRecordsAndHugeLabelsFit() throws IOException {
        Labels huge = Labels.of("__name__", "big", "v", "x".repeat(3_000_000));
        List<Recorded.Sample> expected = new ArrayList<>();
        Random rnd = new Random(7);
        try (Wal wal = Wal.open(dir, WalOptions.defaults())) {
            wal.replay(new Recorded());
            WalBatch b = new WalBatch();
            b.series(5, huge);
            for (int i = 0; i < 50_000; i++) {
                long id = rnd.nextInt(1000), t = 1_000_000L + i * 15_000L + rnd.nextInt(999);
                double v = rnd.nextInt(100) / 4.0;
                b.sample(id, t, v);
                expected.add(Recorded.Sample.of(id, t, v));
            }
            wal.write(b);
            assertEquals(50_001, b.size());
            b.clear();
            assertTrue(b.isEmpty());
            wal.write(b); // an empty batch is a no-op
        }
        Recorded r = Recorded.replay(dir, WalOptions.defaults());
        assertEquals(huge, r.series.get(5L));
        assertEquals(expected, r.samples);
        assertTrue(r.stats.records() >= 50_000 / RecordFormat.SAMPLES_PER_RECORD, "several sample records");
    }

    @Test
    void rotatesAcrossManySmallSegmentsAndReplaysInOrder() throws IOException {
        WalOptions opts = Recorded.opts(1024);
        List<Recorded.Sample> expected = new ArrayList<>();
        Random rnd = new Random(11);
        try (Wal wal = Wal.open(dir, opts)) {
            wal.replay(new Recorded());
            WalBatch b = new WalBatch();
            for (int batch = 0; batch < 300; batch++) {
                b.clear();
                if (batch % 10 == 0) b.series(batch, Labels.of("__name__", "m", "batch", "b" + batch));
                for (int i = 0; i < 1 + rnd.nextInt(40); i++) {
                    long id = batch - batch % 10, t = batch * 1000L + i;
                    b.sample(id, t, rnd.nextGaussian());
                    expected.add(new Recorded.Sample(id, t, Double.doubleToRawLongBits(0)));
                }
                // record the values actually written
                for (int i = 0; i < b.sampleCount(); i++) {
                    int k = expected.size() - b.sampleCount() + i;
                    expected.set(k, new Recorded.Sample(b.sampleIds()[i], b.sampleTimes()[i], b.sampleBits()[i]));
                }
                wal.write(b);
            }
            assertTrue(wal.segmentCount() > 20, "segments: " + wal.segmentCount());
            assertEquals(directorySize(), wal.sizeBytes());
        }
        Recorded r = Recorded.replay(dir, opts);
        assertEquals(expected, r.samples);
        assertEquals(30, r.series.size());
        assertTrue(r.stats.segmentsRead() > 20);
        // after a reopen the WAL continues in a new segment, and both generations replay
        try (Wal wal = Wal.open(dir, opts)) {
            wal.replay(new Recorded());
            WalBatch b = new WalBatch();
            b.sample(0, 999_999, 1);
            wal.write(b);
        }
        Recorded again = Recorded.replay(dir, opts);
        assertEquals(expected.size() + 1, again.samples.size());
        assertEquals(new Recorded.Sample(0, 999_999, Double.doubleToRawLongBits(1)), again.samples.get(expected.size()));
    }

    @Test
    void writingBeforeReplayIsRefusedOnlyWhenTheDirectoryHoldsData() throws IOException {
        WalBatch b = new WalBatch();
        b.sample(1, 1, 1);
        try (Wal wal = Wal.open(dir, Recorded.opts(1 << 20))) {
            wal.write(b); // fresh directory: nothing to replay
        }
        try (Wal wal = Wal.open(dir, Recorded.opts(1 << 20))) {
            assertThrows(IllegalStateException.class, () -> wal.write(b));
            wal.replay(new Recorded());
            assertThrows(IllegalStateException.class, () -> wal.replay(new Recorded()));
            wal.write(b);
        }
        assertEquals(2, Recorded.replay(dir, Recorded.opts(1 << 20)).samples.size());
    }

    @Test
    void alwaysAndIntervalPoliciesWriteTheSameBytes() throws IOException, InterruptedException {
        for (FsyncPolicy policy : FsyncPolicy.values()) {
            Path d = dir.resolve(policy.name());
            WalOptions opts = new WalOptions(4096, policy, 5);
            try (Wal wal = Wal.open(d, opts)) {
                wal.replay(new Recorded());
                WalBatch b = new WalBatch();
                for (int i = 0; i < 100; i++) {
                    b.clear();
                    b.sample(i, i, i);
                    wal.write(b);
                }
                Thread.sleep(20); // let INTERVAL's syncer run at least once
                wal.syncNow();
            }
            assertEquals(100, Recorded.replay(d, opts).samples.size(), policy.name());
        }
    }

    private long directorySize() throws IOException {
        long total = 0;
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) total += Files.size(p);
        }
        return total;
    }
}
