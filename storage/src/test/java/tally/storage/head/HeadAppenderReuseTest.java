package tally.storage.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Labels;
import tally.storage.StorageOptions;

/** The appender's per-thread buffers and its cached series: reuse must never mix two batches or two series. */
class HeadAppenderReuseTest {
    @TempDir
    Path dir;

    private static final Labels A = Labels.of("__name__", "a", "job", "x");
    private static final Labels B = Labels.of("__name__", "b", "job", "x");

    @Test
    void twoAppendersOpenOnOneThreadKeepTheirOwnBatches() throws IOException {
        try (HeadRig rig = HeadRig.open(StorageOptions.defaults(dir))) {
            HeadAppender first = rig.head.appender();
            HeadAppender second = rig.head.appender();
            first.append(0, A, 1000, 1);
            second.append(0, B, 1000, 2); // must not land in first's (pooled) buffers
            second.rollback();
            first.append(0, A, 2000, 3);
            first.commit();
            assertEquals(new TreeMap<>(java.util.Map.of(1000L, 1.0, 2000L, 3.0)), rig.read(A, 0, 10_000));
            assertTrue(rig.read(B, 0, 10_000).isEmpty());
        }
    }

    @Test
    void pooledBuffersAreReturnedAndReused() {
        AppendBuffers.Pool pool = new AppendBuffers.Pool();
        AppendBuffers b = pool.take();
        AppendBuffers nested = pool.take();
        assertNotSame(b, nested);
        pool.release(nested);
        pool.release(b);
        assertSame(b, pool.take());
    }

    @Test
    void oversizedBuffersAreShrunkWhenReleased() {
        AppendBuffers.Pool pool = new AppendBuffers.Pool();
        AppendBuffers b = pool.take();
        MemSeries s = new MemSeries(1, A);
        for (int i = 0; i <= AppendBuffers.MAX_POOLED_SAMPLES; i++) b.add(s, i, i);
        pool.release(b);
        assertEquals(0, b.size());
        assertTrue(b.wal.sampleCapacity() <= AppendBuffers.MAX_POOLED_SAMPLES);
        assertTrue(b.series.length <= AppendBuffers.MAX_POOLED_SAMPLES);
    }

    @Test
    void appenderIsReusableAcrossCommitsAndRefsOfOtherSeriesAreNotConfused() throws IOException {
        try (HeadRig rig = HeadRig.open(StorageOptions.defaults(dir))) {
            HeadAppender app = rig.head.appender();
            long refA = app.append(0, A, 1000, 1);
            long refB = app.append(0, B, 1000, 10);
            assertEquals(refA, app.append(refA, A, 2000, 2)); // the cached series is B's: ref A is looked up
            app.commit();
            assertEquals(refB, app.append(refB, B, 2000, 20));
            assertEquals(refB, app.append(refB, B, 3000, 30));
            app.commit();
            assertEquals(new TreeMap<>(java.util.Map.of(1000L, 1.0, 2000L, 2.0)), rig.read(A, 0, 10_000));
            assertEquals(new TreeMap<>(java.util.Map.of(1000L, 10.0, 2000L, 20.0, 3000L, 30.0)), rig.read(B, 0, 10_000));
        }
    }

    @Test
    void committedSamplesSurviveACrashAfterPooledReuse() throws IOException {
        StorageOptions opts = StorageOptions.defaults(dir);
        try (HeadRig rig = HeadRig.open(opts)) {
            for (int batch = 0; batch < 5; batch++) {
                HeadAppender app = rig.head.appender();
                long ref = 0;
                for (int i = 0; i < 100; i++) ref = app.append(ref, A, batch * 100_000L + i * 1000L, batch * 100 + i);
                app.commit();
            }
            rig.crash();
        }
        try (HeadRig rig = HeadRig.open(opts)) {
            TreeMap<Long, Double> got = rig.read(A, 0, Long.MAX_VALUE);
            assertEquals(500, got.size());
            assertEquals(499.0, got.get(4 * 100_000L + 99_000L));
        }
        assertTrue(Files.exists(dir.resolve("wal")));
    }
}
