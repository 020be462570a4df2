package tally.server.events;

import org.junit.jupiter.api.Test;
import tally.model.Labels;
import tally.server.otlp.delta.SeriesHistory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The record of counted events: ranges, expiry and size bounds, and its journal across restarts and crashes. */
class SeenEventsTest {
    private static final long DAY = 86_400_000L;

    @Test
    void rangesMatchASetInAnyOrder() {
        Random rnd = new Random(42);
        for (int round = 0; round < 50; round++) {
            SequenceRanges ranges = new SequenceRanges();
            Set<Long> reference = new TreeSet<>();
            List<Long> order = new ArrayList<>();
            for (long i = 0; i < 200; i++) order.add(i);
            java.util.Collections.shuffle(order, rnd);
            for (long x : order.subList(0, 150)) {
                assertEquals(reference.add(x), ranges.add(x, x), "add " + x);
                assertEquals(reference.add(x), ranges.add(x, x), "re-add " + x);
            }
            for (long x = 0; x < 210; x++) assertEquals(reference.contains(x), ranges.contains(x), "contains " + x);
            for (long x : order.subList(150, 200)) ranges.add(x, x);
            assertEquals(1, ranges.size(), "a whole session is one range");
            assertEquals(0, ranges.lo(0));
            assertEquals(199, ranges.hi(0));
        }
    }

    @Test
    void rangesMergeOverlaps() {
        SequenceRanges r = new SequenceRanges();
        r.add(10, 20);
        r.add(30, 40);
        r.add(50, 60);
        assertFalse(r.add(12, 18));
        assertTrue(r.add(15, 52));
        assertEquals(1, r.size());
        assertEquals(10, r.lo(0));
        assertEquals(60, r.hi(0));
        assertTrue(r.add(62, 62));
        assertTrue(r.add(61, 61));
        assertEquals(1, r.size());
    }

    /** Past MAX_RANGES gaps, the lowest range is forgotten: memory per session stays bounded. */
    @Test
    void rangesPerSessionAreBounded() {
        SequenceRanges r = new SequenceRanges();
        for (long i = 0; i < SequenceRanges.MAX_RANGES + 10; i++) r.add(2 * i, 2 * i);
        assertEquals(SequenceRanges.MAX_RANGES, r.size());
        assertFalse(r.contains(0));
        assertTrue(r.contains(2L * (SequenceRanges.MAX_RANGES + 9)));
    }

    @Test
    void sessionsExpireAfterTheWindowAndAreCapped() {
        SeenEvents seen = new SeenEvents(DAY, 3);
        seen.add("a", 1, 0);
        seen.add("b", 1, 1000);
        seen.add("a", 2, 2000); // a arrived again: now the most recent
        assertEquals(0, seen.expire(DAY + 500));
        assertEquals(1, seen.expire(DAY + 1500), "b is idle for longer than the window");
        assertTrue(seen.contains("a", 1));
        assertFalse(seen.contains("b", 1));
        seen.add("c", 1, 3000);
        seen.add("d", 1, 4000);
        seen.add("e", 1, 5000);
        assertEquals(3, seen.sessions());
        assertEquals(1, seen.evicted());
        assertFalse(seen.contains("a", 1), "the least recently seen left first");
    }

    /** Committed and plain batches come back after a restart; the file is compacted to one record per session. */
    @Test
    void journalKeepsCountedEventsAcrossRestarts() throws Exception {
        Path file = Files.createTempDirectory("seen-").resolve(SeenEventsJournal.FILE_NAME);
        SeenEvents seen = new SeenEvents(DAY, 1000);
        SeriesHistory storage = holding(witness());
        try (SeenEventsJournal j = SeenEventsJournal.open(file, seen, storage, false, 1000)) {
            long id = j.pending(marks("s1", 0L, 1L, 2L), 1000, witness());
            j.committed(id);
            j.counted(marks("s2", 5L), 1100);
        }
        SeenEvents after = new SeenEvents(DAY, 1000);
        SeenEventsJournal.open(file, after, storage, false, 2000).close();
        assertTrue(after.contains("s1", 0) && after.contains("s1", 2) && after.contains("s2", 5));
        assertFalse(after.contains("s1", 3));
        SeenEvents again = new SeenEvents(DAY, 1000);
        SeenEventsJournal.open(file, again, SeriesHistory.NONE, false, 2000).close();
        assertTrue(again.contains("s1", 1) && again.contains("s2", 5), "the compacted file reads back the same, without lookups");
        SeenEvents later = new SeenEvents(DAY, 1000);
        SeenEventsJournal.open(file, later, SeriesHistory.NONE, false, 1100 + DAY + 1).close();
        assertEquals(0, later.sessions(), "sessions past the window are not restored");
    }

    /**
     * Tally died between journaling a batch and knowing whether its commit happened: storage decides. The witness
     * sample present = committed = its events are counted; absent = they were not, and a resend must count them.
     */
    @Test
    void unfinishedBatchCountsExactlyWhenStorageHasItsWitness() throws Exception {
        for (boolean stored : new boolean[] {true, false}) {
            Path file = Files.createTempDirectory("seen-").resolve(SeenEventsJournal.FILE_NAME);
            SeenEventsJournal j = SeenEventsJournal.open(file, new SeenEvents(DAY, 1000), SeriesHistory.NONE, false, 1000);
            SeenEventsJournal.Witness w = witness();
            j.pending(marks("s1", 7L), 1000, w); // no committed(): the process died here
            SeriesHistory storage = stored ? holding(w) : SeriesHistory.NONE;
            SeenEvents after = new SeenEvents(DAY, 1000);
            SeenEventsJournal.open(file, after, storage, false, 2000).close();
            assertEquals(stored, after.contains("s1", 7), "witness stored: " + stored);
        }
    }

    /**
     * A power loss can take the WAL's last second while this file's COMMITTED record survived: batches of the last
     * seconds are checked against storage even when committed; older committed ones are trusted without a lookup.
     */
    @Test
    void committedBatchesOfTheLastSecondsAreCheckedToo() throws Exception {
        Path file = Files.createTempDirectory("seen-").resolve(SeenEventsJournal.FILE_NAME);
        try (SeenEventsJournal j = SeenEventsJournal.open(file, new SeenEvents(DAY, 1000), SeriesHistory.NONE, false, 1000)) {
            j.committed(j.pending(marks("old", 1L), 1000, witness()));
            j.committed(j.pending(marks("recent", 1L), 1000 + SeenEventsJournal.VERIFY_TAIL_MILLIS + 5000, witness()));
        }
        SeenEvents after = new SeenEvents(DAY, 1000);
        SeenEventsJournal.open(file, after, SeriesHistory.NONE, false, 60_000).close(); // storage holds no witness
        assertTrue(after.contains("old", 1), "committed long before the end of the file: trusted");
        assertFalse(after.contains("recent", 1), "its samples are not in storage: a resend must count them");
    }

    /** A kill in the middle of a write leaves a torn record: the records before it are kept. */
    @Test
    void tornTailIsIgnored() throws Exception {
        Path file = Files.createTempDirectory("seen-").resolve(SeenEventsJournal.FILE_NAME);
        try (SeenEventsJournal j = SeenEventsJournal.open(file, new SeenEvents(DAY, 1000), SeriesHistory.NONE, false, 1000)) {
            j.counted(marks("s1", 1L), 1000);
            j.counted(marks("s1", 2L), 1000);
        }
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 3));
        Files.write(file, new byte[] {0, 0, 0, 40, 1, 2}, StandardOpenOption.APPEND);
        SeenEvents after = new SeenEvents(DAY, 1000);
        SeenEventsJournal.open(file, after, SeriesHistory.NONE, false, 2000).close();
        assertTrue(after.contains("s1", 1), "the intact record");
        assertFalse(after.contains("s1", 2), "the torn one");
    }

    @Test
    void journalCompactsWhenItGrows() throws IOException {
        Path file = Files.createTempDirectory("seen-").resolve(SeenEventsJournal.FILE_NAME);
        SeenEvents seen = new SeenEvents(DAY, 1000);
        try (SeenEventsJournal j = SeenEventsJournal.open(file, seen, SeriesHistory.NONE, false, 0)) {
            long seq = 0;
            while (!j.wantsCompaction()) {
                j.counted(marks("s" + (seq % 10), seq / 10), 0);
                seen.add("s" + (seq % 10), seq / 10, 0);
                seq++;
            }
            assertTrue(Files.size(file) > SeenEventsJournal.MIN_COMPACT_BYTES);
            j.compact(seen);
            assertTrue(Files.size(file) < 1000, "10 sessions of one range each: " + Files.size(file));
        }
    }

    /** A storage holding exactly the witness sample. */
    private static SeriesHistory holding(SeenEventsJournal.Witness w) {
        return (series, mint, maxt) -> series.equals(w.series()) && mint <= w.t() && w.t() <= maxt
                ? new SeriesHistory.LastSample(w.t(), w.value()) : null;
    }

    private static SeenEventsJournal.Witness witness() {
        return new SeenEventsJournal.Witness(Labels.of("__name__", "claude_code_user_prompts_total", "user_id", "u"), 5000, 3);
    }

    private static Map<String, LinkedHashSet<Long>> marks(String session, Long... seqs) {
        return Map.of(session, new LinkedHashSet<>(List.of(seqs)));
    }
}
