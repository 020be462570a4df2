package tally.storage.wal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Labels;

class WalCheckpointTest {
    @TempDir
    Path dir;

    private final WalOptions opts = Recorded.opts(16 << 10);

    /** A stand-in for the head: series and samples, applied before they are written to the WAL. */
    static final class State {
        final Map<Long, Labels> series = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<Recorded.Sample> samples = new ConcurrentLinkedQueue<>();

        void emit(WalBatch b) {
            series.forEach(b::series);
            for (Recorded.Sample s : samples) b.sample(s.id(), s.t(), Double.longBitsToDouble(s.bits()));
        }

        void applyAndWrite(Wal wal, WalBatch b, long id, long t0, int n) throws IOException {
            b.clear();
            if (series.putIfAbsent(id, labels(id)) == null) b.series(id, labels(id));
            for (int i = 0; i < n; i++) {
                double v = t0 + i + 0.25;
                samples.add(Recorded.Sample.of(id, t0 + i, v));
                b.sample(id, t0 + i, v);
            }
            wal.write(b);
        }
    }

    static Labels labels(long id) {
        return Labels.of("__name__", "claude_code_token_usage_tokens_total", "session_id", "s-" + id);
    }

    @Test
    void checkpointReplacesOldSegmentsAndStreamsLargeStateInPieces() throws IOException {
        State state = new State();
        try (Wal wal = Wal.open(dir, opts)) {
            wal.replay(new Recorded());
            WalBatch b = new WalBatch();
            for (int i = 0; i < 400; i++) state.applyAndWrite(wal, b, i % 50, i * 1000L, 100);
            int before = wal.segmentCount();
            assertTrue(before > 10);
            long sizeBefore = wal.sizeBytes();

            AtomicInteger largestPiece = new AtomicInteger();
            wal.checkpoint(piece -> {
                state.emit(piece);
                largestPiece.accumulateAndGet(piece.size(), Math::max);
            });
            assertTrue(largestPiece.get() < Wal.CHECKPOINT_PIECE_RECORDS, "state is streamed, not buffered");
            assertEquals(1, wal.segmentCount(), "only the new, empty segment is left");
            Path cp = WalFiles.checkpoint(dir, before);
            assertEquals(WalFiles.directoryBytes(cp) + WalFiles.directoryBytes(dir), wal.sizeBytes());
            assertTrue(wal.sizeBytes() < sizeBefore * 1.5, "same records, grouped differently");
            assertTrue(Files.isDirectory(cp));
            assertTrue(WalFiles.segments(cp).size() > 10, "checkpoint rotates its own files");
            assertEquals(List.of((long) before), WalFiles.segments(dir));

            for (int i = 0; i < 10; i++) state.applyAndWrite(wal, b, 1000 + i, 0, 10);
        }
        Recorded r = Recorded.replay(dir, opts);
        assertEquals(new ArrayList<>(state.samples), r.samples, "checkpoint first, then later segments, in order");
        assertEquals(state.series, r.series);

        // a second checkpoint removes the first
        try (Wal wal = Wal.open(dir, opts)) {
            wal.replay(new Recorded());
            wal.checkpoint(piece -> piece.sample(1, 2, 3));
        }
        assertEquals(1, WalFiles.checkpoints(dir).size());
        assertEquals(List.of(Recorded.Sample.of(1, 2, 3)), Recorded.replay(dir, opts).samples);
    }

    @Test
    void checkpointWithConcurrentWritersLosesNothing() throws Exception {
        State state = new State();
        int writers = 3, batches = 1500;
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger checkpoints = new AtomicInteger();
        CountDownLatch firstCheckpoint = new CountDownLatch(1);
        List<Throwable> errors = new ArrayList<>();
        WalOptions bigger = Recorded.opts(256 << 10); // fewer checkpoint files to fsync: checkpoints keep up
        try (Wal wal = Wal.open(dir, bigger)) {
            wal.replay(new Recorded());
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                long id = w;
                threads.add(new Thread(() -> {
                    try {
                        WalBatch b = new WalBatch();
                        start.await();
                        int quarter = batches / 4;
                        for (int i = 0; i < batches; i++) {
                            // at each quarter wait for one more checkpoint: checkpoints overlap the writes
                            // however the threads get scheduled
                            while (i > 0 && i % quarter == 0 && checkpoints.get() < i / quarter && !done.get()) {
                                Thread.sleep(1);
                            }
                            state.applyAndWrite(wal, b, id, i * 20L, 20);
                        }
                    } catch (Throwable e) {
                        synchronized (errors) { errors.add(e); }
                    }
                }));
            }
            Thread checkpointer = new Thread(() -> {
                try {
                    start.await();
                    do {
                        wal.checkpoint(state::emit);
                        checkpoints.incrementAndGet();
                        firstCheckpoint.countDown();
                    } while (!done.get());
                } catch (Throwable e) {
                    synchronized (errors) { errors.add(e); }
                    done.set(true); // writers stop waiting for checkpoints
                }
            });
            threads.forEach(Thread::start);
            checkpointer.start();
            start.countDown();
            for (Thread t : threads) t.join();
            done.set(true);
            checkpointer.join();
        }
        assertEquals(List.of(), errors);
        assertTrue(checkpoints.get() >= 3, "checkpoints ran while writing: " + checkpoints.get());
        Recorded r = Recorded.replay(dir, bigger);
        Set<Recorded.Sample> replayed = new HashSet<>(r.samples);
        Set<Recorded.Sample> written = new HashSet<>(state.samples);
        assertEquals(writers * batches * 20, written.size());
        assertEquals(written, replayed, "every written sample is replayed, and nothing else");
        assertEquals(state.series, r.series);
    }

    @Test
    void failedCheckpointLeavesTheWalAsItWas() throws IOException {
        State state = new State();
        try (Wal wal = Wal.open(dir, opts)) {
            wal.replay(new Recorded());
            WalBatch b = new WalBatch();
            for (int i = 0; i < 50; i++) state.applyAndWrite(wal, b, i, 0, 50);
            wal.checkpoint(state::emit);
            for (int i = 0; i < 50; i++) state.applyAndWrite(wal, b, i, 1000, 50);
            // the process "dies" inside the callback after several pieces reached the temp dir
            RuntimeException boom = new RuntimeException("boom");
            assertThrows(RuntimeException.class, () -> wal.checkpoint(piece -> {
                state.emit(piece);
                throw boom;
            }));
            assertEquals(List.of(), WalFiles.checkpointTmps(dir));
            state.applyAndWrite(wal, b, 7, 5000, 3);
        }
        Recorded r = Recorded.replay(dir, opts);
        assertEquals(new ArrayList<>(state.samples), r.samples);
    }

    @Test
    void leftoverTempDirIsIgnoredAndRemoved() throws IOException {
        State state = new State();
        try (Wal wal = Wal.open(dir, opts)) {
            wal.replay(new Recorded());
            WalBatch b = new WalBatch();
            for (int i = 0; i < 20; i++) state.applyAndWrite(wal, b, i, 0, 10);
        }
        Path tmp = WalFiles.checkpointTmp(dir, 1);
        Files.createDirectories(tmp);
        Files.write(tmp.resolve(WalFiles.segmentName(0)), "half a checkpoint".getBytes());
        Recorded r = Recorded.replay(dir, opts);
        assertEquals(new ArrayList<>(state.samples), r.samples);
        assertFalse(Files.exists(tmp));
    }

    @Test
    void crashAfterRenameBeforeCleanupReplaysTheNewCheckpointOnly() throws IOException {
        State state = new State();
        Path saved = dir.resolveSibling(dir.getFileName() + "-saved");
        Files.createDirectories(saved);
        try (Wal wal = Wal.open(dir, opts)) {
            wal.replay(new Recorded());
            WalBatch b = new WalBatch();
            for (int i = 0; i < 30; i++) state.applyAndWrite(wal, b, i, 0, 100);
            wal.checkpoint(state::emit);
            for (int i = 0; i < 30; i++) state.applyAndWrite(wal, b, i, 100, 100);
            // keep copies of what the next checkpoint deletes
            for (long s : WalFiles.segments(dir)) {
                Files.copy(WalFiles.segment(dir, s), WalFiles.segment(saved, s));
            }
            long oldCp = WalFiles.checkpoints(dir).get(0);
            copyDir(WalFiles.checkpoint(dir, oldCp), WalFiles.checkpoint(saved, oldCp));
            wal.checkpoint(state::emit);
            state.applyAndWrite(wal, b, 99, 0, 5);
        }
        // put the deleted files back, as if the process died right after the rename
        try (var files = Files.list(saved)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = dir.resolve(p.getFileName());
                if (Files.isDirectory(p)) copyDir(p, target);
                else Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        assertEquals(2, WalFiles.checkpoints(dir).size());
        Recorded r = Recorded.replay(dir, opts);
        assertEquals(new ArrayList<>(state.samples), r.samples, "no duplicates from stale segments");
        assertEquals(1, WalFiles.checkpoints(dir).size());
    }

    private static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.copy(p, to.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
