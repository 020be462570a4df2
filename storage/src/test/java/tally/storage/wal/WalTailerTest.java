package tally.storage.wal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Labels;

class WalTailerTest {
    @TempDir
    Path dir;

    /** Keeps what a tailer delivers, the positions it passed and the gaps it reported. */
    static final class Tail implements WalTailer.Handler {
        final Map<Long, Labels> series = new HashMap<>();
        final List<String> samples = new ArrayList<>(); // "labels t v" in delivery order
        final List<WalPosition> gaps = new ArrayList<>();
        long lastEnd = -1;
        int ends;

        @Override
        public void series(long id, Labels labels) { series.put(id, labels); }

        @Override
        public void sample(long id, long t, double v) {
            Labels l = series.get(id);
            samples.add((l == null ? "?" + id : l.get("s")) + " " + t + " " + v);
        }

        @Override
        public void retired(long id) { series.remove(id); }

        @Override
        public void recordEnd(long packed) {
            assertTrue(packed > lastEnd, "positions only move forward");
            lastEnd = packed;
            ends++;
        }

        @Override
        public void gap(WalPosition from, WalPosition to, String why) { gaps.add(from); }
    }

    private static void write(Wal wal, Map<Long, Labels> state, long id, long t) throws IOException {
        WalBatch b = new WalBatch();
        Labels l = Labels.of("__name__", "m", "s", "s" + id);
        if (state.putIfAbsent(id, l) == null) b.series(id, l);
        b.sample(id, t, t * 0.5);
        wal.write(b);
    }

    private static void checkpoint(Wal wal, Map<Long, Labels> state) throws IOException {
        wal.checkpoint(b -> state.forEach(b::series));
    }

    @Test
    void deliversCommittedRecordsInOrderAndOnlyNewOnesOnTheNextPoll() throws IOException {
        Map<Long, Labels> state = new HashMap<>();
        try (Wal wal = Wal.open(dir, Recorded.opts(256))) {
            wal.replay(new Recorded());
            WalPosition start = wal.committed();
            for (int i = 0; i < 20; i++) write(wal, state, i % 3, 1000 + i);
            Tail tail = new Tail();
            WalTailer tailer = new WalTailer(wal, start, tail);
            assertTrue(tailer.poll() > 0);
            assertEquals(20, tail.samples.size());
            assertEquals("s0 1000 500.0", tail.samples.get(0));
            assertEquals("s1 1019 509.5", tail.samples.get(19));
            assertTrue(wal.segmentCount() > 1, "small segments: the tailer crossed rotations");
            assertEquals(0, tailer.poll());
            write(wal, state, 1, 2000);
            tailer.poll();
            assertEquals(21, tail.samples.size());
            assertEquals("s1 2000 1000.0", tail.samples.get(20));
            assertEquals(wal.committed(), tailer.position());
            assertEquals(wal.committed().pack(), tail.lastEnd);
            assertTrue(tail.gaps.isEmpty());
        }
    }

    @Test
    void resumesAfterReopenFromAHeldPositionWithTheSeriesNamesOfEarlierCheckpoints() throws IOException {
        Map<Long, Labels> state = new HashMap<>();
        WalHolds holds = new WalHolds(1L << 30);
        WalOptions opts = Recorded.opts(256).withHolds(holds);
        WalPosition resumeAt;
        try (Wal wal = Wal.open(dir, opts)) {
            wal.replay(new Recorded());
            WalHolds.Hold hold = holds.hold("target", wal.committed().segment());
            for (int i = 0; i < 10; i++) write(wal, state, i, 100 + i); // ten series, created here
            Tail first = new Tail();
            WalTailer tailer = new WalTailer(wal, wal.committed(), first);
            tailer.poll(); // a reader that starts at the end reads nothing old...
            assertEquals(0, first.samples.size());
            Tail acked = new Tail();
            WalTailer reader = new WalTailer(wal, new WalPosition(hold.segment(), 0), acked);
            reader.poll();
            assertEquals(10, acked.samples.size());
            resumeAt = reader.position();
            hold.advance(resumeAt.segment());
            for (int i = 0; i < 10; i++) write(wal, state, i, 200 + i);
            checkpoint(wal, state); // would delete every segment before it without the hold
            for (int i = 0; i < 10; i++) write(wal, state, i, 300 + i);
            checkpoint(wal, state);
            assertTrue(wal.heldBytes() > 0, "segments the reader needs are kept");
        }
        WalHolds again = new WalHolds(1L << 30);
        again.hold("target", resumeAt.segment());
        try (Wal wal = Wal.open(dir, Recorded.opts(256).withHolds(again))) {
            Recorded replayed = new Recorded();
            wal.replay(replayed);
            assertEquals(0, replayed.samples.size(), "replay reads the last checkpoint (series only here) on, not the held segments");
            assertEquals(10, replayed.series.size());
            Tail resumed = new Tail();
            new WalTailer(wal, resumeAt, resumed).poll();
            assertEquals(20, resumed.samples.size(), "everything after the acknowledged position, nothing before");
            assertEquals("s0 200 100.0", resumed.samples.get(0));
            assertEquals("s9 309 154.5", resumed.samples.get(19));
            assertTrue(resumed.gaps.isEmpty());
        }
    }

    @Test
    void withoutHoldsCheckpointsDeleteOldSegmentsAsBefore() throws IOException {
        Map<Long, Labels> state = new HashMap<>();
        try (Wal wal = Wal.open(dir, Recorded.opts(256))) {
            wal.replay(new Recorded());
            for (int i = 0; i < 20; i++) write(wal, state, i, 100 + i);
            checkpoint(wal, state);
            assertEquals(0, wal.heldBytes());
            assertEquals(1, WalFiles.segments(dir).size());
        }
    }

    @Test
    void pastTheCapTheOldestKeptSpanGoesAndTheReaderIsToldOfTheGap() throws IOException {
        Map<Long, Labels> state = new HashMap<>();
        WalHolds holds = new WalHolds(600);
        try (Wal wal = Wal.open(dir, Recorded.opts(256).withHolds(holds))) {
            wal.replay(new Recorded());
            WalPosition start = wal.committed();
            WalHolds.Hold hold = holds.hold("lagging", start.segment());
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < 10; i++) write(wal, state, i, round * 100 + i);
                checkpoint(wal, state);
            }
            assertTrue(wal.heldBytes() <= 600, "kept bytes stay under the cap: " + wal.heldBytes());
            assertTrue(hold.segmentsLost() > 0);
            assertTrue(holds.segmentsDropped() > 0);
            Tail tail = new Tail();
            new WalTailer(wal, start, tail).poll();
            assertFalse(tail.gaps.isEmpty(), "the reader hears that it lost part of the log");
            assertFalse(tail.samples.isEmpty());
            assertTrue(tail.samples.stream().noneMatch(s -> s.startsWith("?")), "names come from the kept checkpoint: " + tail.samples);
            assertEquals("s9 309 154.5", tail.samples.get(tail.samples.size() - 1));
        }
    }

    @Test
    void aReleasedHoldLetsTheNextCheckpointDeleteWhatItKept() throws IOException {
        Map<Long, Labels> state = new HashMap<>();
        WalHolds holds = new WalHolds(1L << 30);
        try (Wal wal = Wal.open(dir, Recorded.opts(256).withHolds(holds))) {
            wal.replay(new Recorded());
            WalHolds.Hold hold = holds.hold("t", wal.committed().segment());
            for (int i = 0; i < 20; i++) write(wal, state, i, 100 + i);
            checkpoint(wal, state);
            assertTrue(wal.heldBytes() > 0);
            hold.release();
            wal.releaseHeld();
            assertEquals(0, wal.heldBytes());
            assertEquals(1, WalFiles.checkpoints(dir).size());
            assertTrue(Files.exists(WalFiles.checkpoint(dir, WalFiles.checkpoints(dir).get(0))));
        }
    }
}
