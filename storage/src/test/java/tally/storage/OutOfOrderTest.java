package tally.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static tally.storage.StorageTestSupport.readAll;
import static tally.storage.StorageTestSupport.readOne;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.AppendException;
import tally.model.Appender;
import tally.model.Labels;
import tally.model.Matcher;
import tally.storage.StorageTestSupport.Read;
import tally.storage.StorageTestSupport.Sample;
import tally.storage.store.StoreOptions;

/** Samples older than their series' newest, accepted within the out-of-order window. */
class OutOfOrderTest {
    @TempDir
    Path dir;

    private static final long MIN = 60_000L;
    private static final long HOUR = 3_600_000L;
    private final Labels l = Labels.of("__name__", "m", "k", "v");

    private StorageOptions opts(long windowMillis) {
        // data near 1970: retention must not delete it while the test runs
        StoreOptions store = new StoreOptions(StoreOptions.DAY_MILLIS, 100 * 365 * StoreOptions.DAY_MILLIS, 0, 1000, 4000);
        return StorageOptions.defaults(dir).withStore(store).withSamplesPerChunk(16).withFlushIntervalMillis(HOUR)
                .withOutOfOrderWindowMillis(windowMillis);
    }

    private static AppendException.Reason refusal(Appender a, Labels l, long t, double v) {
        return assertThrows(AppendException.class, () -> a.append(0, l, t, v)).reason();
    }

    @Test
    void acceptsWithinTheWindowAndRefusesOutsideIt() throws Exception {
        try (TallyStorage s = TallyStorage.open(opts(10 * MIN))) {
            Appender a = s.appender();
            Labels other = Labels.of("__name__", "other");
            a.append(0, l, 30 * MIN, 30);
            a.append(0, other, 60 * MIN, 60); // the head's newest sample: the window ends at 50 min
            a.commit();
            a.append(0, l, 50 * MIN, 50);   // in order
            assertEquals(AppendException.Reason.TOO_OLD, refusal(a, l, 40 * MIN, 40));
            assertEquals(AppendException.Reason.TOO_OLD, refusal(a, l, 49 * MIN, 49));
            a.append(0, l, 55 * MIN, 55);
            a.append(0, l, 52 * MIN, 52);   // older than a queued sample, inside the window
            a.commit();
            a.append(0, l, 51 * MIN, 51);   // older than a committed sample, inside the window
            a.commit();
            assertEquals(List.of(new Sample(30 * MIN, 30), new Sample(50 * MIN, 50), new Sample(51 * MIN, 51),
                    new Sample(52 * MIN, 52), new Sample(55 * MIN, 55)), readOne(s, l));
        }
    }

    @Test
    void windowIsMeasuredFromTheHeadsNewestSample() throws Exception {
        try (TallyStorage s = TallyStorage.open(opts(10 * MIN))) {
            Appender a = s.appender();
            a.append(0, l, 100 * MIN, 1);
            a.commit();
            a.append(0, l, 95 * MIN, 2);
            a.append(0, l, 90 * MIN, 3);    // exactly the floor: accepted
            a.commit();
            assertEquals(AppendException.Reason.TOO_OLD, refusal(a, l, 90 * MIN - 1, 4));
            assertEquals(List.of(new Sample(90 * MIN, 3), new Sample(95 * MIN, 2), new Sample(100 * MIN, 1)), readOne(s, l));
            assertEquals(2, s.stats().head().samplesOutOfOrderAppended.sum());
        }
    }

    @Test
    void theWindowHoldsRightAfterACleanRestart() throws Exception {
        try (TallyStorage s = TallyStorage.open(opts(10 * MIN))) {
            Appender a = s.appender();
            a.append(0, l, 100 * MIN, 1);
            a.commit();
        }
        // the head is empty now, but remembers its newest sample time
        try (TallyStorage s = TallyStorage.open(opts(10 * MIN))) {
            Appender a = s.appender();
            assertEquals(AppendException.Reason.TOO_OLD, refusal(a, l, 30 * MIN, 1));
            a.append(0, l, 95 * MIN, 2);
            a.commit();
            assertEquals(List.of(new Sample(95 * MIN, 2), new Sample(100 * MIN, 1)), readOne(s, l));
        }
    }

    @Test
    void windowZeroRefusesAsOutOfOrder() throws Exception {
        try (TallyStorage s = TallyStorage.open(opts(0))) {
            Appender a = s.appender();
            a.append(0, l, 2000, 1);
            a.commit();
            assertEquals(AppendException.Reason.OUT_OF_ORDER, refusal(a, l, 1000, 1));
        }
    }

    @Test
    void duplicatesAtOldTimestampsAreCheckedEverywhere() throws Exception {
        try (TallyStorage s = TallyStorage.open(opts(HOUR))) {
            Appender a = s.appender();
            for (int i = 0; i < 40; i++) a.append(0, l, 10 * MIN + i * MIN, i);   // 40 in order: 2 sealed chunks + open
            a.commit();
            a.append(0, l, 10 * MIN + 30_000, 0.5);                     // a new out-of-order sample
            // queued in this batch: same value is a no-op, another value a duplicate
            a.append(0, l, 10 * MIN + 30_000, 0.5);
            assertEquals(AppendException.Reason.DUPLICATE, refusal(a, l, 10 * MIN + 30_000, 0.6));
            a.commit();
            // in the out-of-order buffer, in a sealed head chunk, in the open chunk
            for (long t : new long[] {10 * MIN + 30_000, 10 * MIN, 11 * MIN, 45 * MIN}) {
                assertEquals(AppendException.Reason.DUPLICATE, refusal(a, l, t, -1), "t=" + t);
            }
            a.append(0, l, 11 * MIN, 1);   // identical resend of an old sample: no-op
            a.commit();
            s.flush();
            // after the flush some chunks are only in the store
            s.flush();
            for (long t : new long[] {10 * MIN, 12 * MIN}) {
                assertEquals(AppendException.Reason.DUPLICATE, refusal(a, l, t, -1), "stored t=" + t);
            }
            a.append(0, l, 12 * MIN, 2);
            a.commit();
            List<Sample> want = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                want.add(new Sample(10 * MIN + i * MIN, i));
                if (i == 0) want.add(new Sample(10 * MIN + 30_000, 0.5));
            }
            assertEquals(want, readOne(s, l));
            assertEquals(41, s.stats().head().samplesAppended.sum());
        }
    }

    @Test
    void readsMergeFromHeadStoreAndAfterRestart() throws Exception {
        List<Sample> want = new ArrayList<>();
        try (TallyStorage s = TallyStorage.open(opts(2 * HOUR))) {
            Appender a = s.appender();
            // even minutes in order, then odd minutes out of order in bursts, flushing between
            for (int i = 0; i < 100; i += 2) a.append(0, l, i * MIN, i);
            a.commit();
            for (int i = 99; i > 0; i -= 2) {
                a.append(0, l, i * MIN, i);
                if (i % 10 == 1) {
                    a.commit();
                    assertEquals(sortedPrefix(i), readOne(s, l), "after the odd minutes from " + i);
                }
                if (i % 30 == 1) s.flush();
            }
            a.commit();
            for (int i = 0; i < 100; i++) want.add(new Sample(i * MIN, i));
            assertEquals(want, readOne(s, l), "head and store");
            // a range read and seeks through overlapping chunks
            List<Read> window = readAll(s, 33 * MIN, 41 * MIN, Matcher.metricName("m"));
            assertEquals(want.subList(33, 42), window.get(0).samples());
            s.flush();
            assertEquals(want, readOne(s, l), "after flush");
        }
        try (TallyStorage s = TallyStorage.open(opts(2 * HOUR))) {
            assertEquals(want, readOne(s, l), "after a clean restart");
        }
    }

    @Test
    void aSeriesWithNothingInsideTheWindowTakesOlderSamplesInOrder() throws Exception {
        try (TallyStorage s = TallyStorage.open(opts(10 * MIN))) {
            Appender a = s.appender();
            a.append(0, Labels.of("__name__", "clock"), 100 * MIN, 1);
            a.commit();
            // a lagging client's new series: in order for the series, as with no window
            a.append(0, l, 80 * MIN, 1);
            a.commit();
            // but now its newest is known: older samples are out of order and outside the window
            assertEquals(AppendException.Reason.TOO_OLD, refusal(a, l, 79 * MIN, 1));
            a.append(0, l, 81 * MIN, 2);
            a.commit();
            assertEquals(List.of(new Sample(80 * MIN, 1), new Sample(81 * MIN, 2)), readOne(s, l));
        }
    }

    @Test
    void aSeriesBackFromTheStoreChecksItsStoredSamples() throws Exception {
        Labels clock = Labels.of("__name__", "clock");
        try (TallyStorage s = TallyStorage.open(opts(HOUR).withIdleSeriesMillis(10 * MIN))) {
            Appender a = s.appender();
            for (int i = 0; i <= 5; i++) a.append(0, l, i * MIN, i);
            a.append(0, clock, 20 * MIN, 0);
            a.commit();
            s.flush(); // l is idle (newest 5 min < 20 - 10): sealed, flushed, leaves the head
            assertEquals(1, s.stats().head().seriesRemoved.sum());
            assertEquals(AppendException.Reason.DUPLICATE, refusal(a, l, 3 * MIN, -1));
            assertEquals(AppendException.Reason.DUPLICATE, refusal(a, l, 5 * MIN, -1));
            a.append(0, l, 3 * MIN, 3);            // identical resend: no-op
            a.append(0, l, 2 * MIN + 30_000, 2.5); // older than the stored newest: out of order
            a.append(0, l, 6 * MIN, 6);            // newer: in order
            a.commit();
        }
        List<Sample> want = new ArrayList<>();
        for (int i = 0; i <= 6; i++) {
            want.add(new Sample(i * MIN, i));
            if (i == 2) want.add(new Sample(2 * MIN + 30_000, 2.5));
        }
        try (TallyStorage s = TallyStorage.open(opts(HOUR))) {
            assertEquals(want, readOne(s, l), "after a clean restart");
            // the clean shutdown emptied the head: the store still decides about old timestamps
            Appender a = s.appender();
            a.append(0, clock, 21 * MIN, 0);
            a.commit();
            assertEquals(AppendException.Reason.DUPLICATE, refusal(a, l, 6 * MIN, -1));
            assertEquals(AppendException.Reason.DUPLICATE, refusal(a, l, 2 * MIN + 30_000, -1));
            a.append(0, l, 4 * MIN + 30_000, 4.5);
            a.commit();
            want.add(6, new Sample(4 * MIN + 30_000, 4.5));
            assertEquals(want, readOne(s, l));
        }
    }

    /** Even minutes below 100 plus odd minutes from i up, in time order (the expected state mid-test). */
    private static List<Sample> sortedPrefix(int i) {
        List<Sample> out = new ArrayList<>();
        for (int k = 0; k < 100; k++) if (k % 2 == 0 || k >= i) out.add(new Sample(k * MIN, k));
        return out;
    }
}
