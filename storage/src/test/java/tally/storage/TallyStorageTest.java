package tally.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tally.storage.StorageTestSupport.readAll;
import static tally.storage.StorageTestSupport.readOne;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.AppendException;
import tally.model.Appender;
import tally.model.Labels;
import tally.model.MatchType;
import tally.model.Matcher;
import tally.model.MetricMetadata;
import tally.model.Querier;
import tally.model.StaleNaN;
import tally.storage.StorageTestSupport.Read;
import tally.storage.StorageTestSupport.Sample;

class TallyStorageTest {
    @TempDir
    Path dir;

    private static final long DAY = 86_400_000L;

    private StorageOptions small() {
        return StorageOptions.defaults(dir).withSamplesPerChunk(16).withFlushIntervalMillis(3_600_000L);
    }

    @Test
    void samplesAreVisibleOnlyAfterCommit() throws Exception {
        try (TallyStorage s = TallyStorage.open(small())) {
            Appender a = s.appender();
            Labels l = Labels.of("__name__", "up", "job", "a");
            a.append(0, l, 1000, 1);
            assertTrue(readOne(s, l).isEmpty());
            a.commit();
            assertEquals(List.of(new Sample(1000, 1)), readOne(s, l));
            a.append(0, l, 2000, 2);
            a.rollback();
            assertEquals(List.of(new Sample(1000, 1)), readOne(s, l));
        }
    }

    @Test
    void readsMergeHeadAndStoreAcrossFlushesAndPartitions() throws Exception {
        Labels l = Labels.of("__name__", "m", "k", "v");
        List<Sample> expected = new ArrayList<>();
        try (TallyStorage s = TallyStorage.open(small())) {
            Appender a = s.appender();
            // 3 days at 1 h: crosses partition boundaries and many chunk cuts
            for (long t = -DAY; t < 2 * DAY; t += 3_600_000L) {
                double v = t / 1000.0;
                a.append(0, l, t, v);
                expected.add(new Sample(t, v));
                if (expected.size() % 7 == 0) {
                    a.commit();
                    if (expected.size() % 21 == 0) s.flush();
                }
            }
            a.commit();
            assertEquals(expected, readOne(s, l));
            s.flush();
            assertEquals(expected, readOne(s, l));
        }
        try (TallyStorage s = TallyStorage.open(small())) {
            assertEquals(expected, readOne(s, l), "after a clean restart");
            // a window read trims to [mint, maxt]
            List<Read> window = readAll(s, 0, DAY, Matcher.metricName("m"));
            assertEquals(1, window.size());
            for (Sample x : window.get(0).samples()) assertTrue(x.t() >= 0 && x.t() <= DAY);
            assertEquals(25, window.get(0).samples().size());
        }
    }

    @Test
    void outOfOrderAndDuplicatesFollowPrometheus() throws Exception {
        try (TallyStorage s = TallyStorage.open(small())) {
            Appender a = s.appender();
            Labels l = Labels.of("__name__", "m");
            a.append(0, l, 2000, 5);
            a.commit();
            AppendException ooo = assertThrows(AppendException.class, () -> a.append(0, l, 1000, 1));
            assertEquals(AppendException.Reason.OUT_OF_ORDER, ooo.reason());
            AppendException dup = assertThrows(AppendException.class, () -> a.append(0, l, 2000, 6));
            assertEquals(AppendException.Reason.DUPLICATE, dup.reason());
            a.append(0, l, 2000, 5); // same value again: accepted as a no-op
            a.append(0, l, 3000, 7);
            assertThrows(AppendException.class, () -> a.append(0, l, 2500, 1), "ordering counts queued samples too");
            a.commit();
            assertEquals(List.of(new Sample(2000, 5), new Sample(3000, 7)), readOne(s, l));
        }
    }

    @Test
    void specialValuesKeepTheirBits() throws Exception {
        Labels l = Labels.of("__name__", "m");
        double[] values = {Double.NaN, StaleNaN.VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 1e308};
        try (TallyStorage s = TallyStorage.open(small())) {
            Appender a = s.appender();
            for (int i = 0; i < values.length; i++) a.append(0, l, i * 1000L, values[i]);
            a.commit();
            s.flush();
        }
        try (TallyStorage s = TallyStorage.open(small())) {
            List<Sample> got = readOne(s, l);
            assertEquals(values.length, got.size());
            for (int i = 0; i < values.length; i++) {
                assertEquals(Double.doubleToRawLongBits(values[i]), Double.doubleToRawLongBits(got.get(i).v()), "value " + i);
            }
        }
    }

    @Test
    void matchersSelectAcrossHeadAndStore() throws Exception {
        try (TallyStorage s = TallyStorage.open(small())) {
            Appender a = s.appender();
            for (int i = 0; i < 50; i++) {
                Labels l = Labels.of("__name__", i % 2 == 0 ? "even" : "odd", "i", Integer.toString(i), "group", "g" + (i % 5));
                a.append(0, l, 1000, i);
            }
            a.commit();
            s.flush(); // idle series are not flushed yet (data time has not moved), so half sits in head...
            Appender b = s.appender();
            for (int i = 50; i < 60; i++) b.append(0, Labels.of("__name__", "even", "i", Integer.toString(i)), 2000, i);
            b.commit();

            assertEquals(35, readAll(s, 0, 10_000, Matcher.metricName("even")).size());
            assertEquals(10, readAll(s, 0, 10_000, Matcher.metricName("even"), Matcher.of(MatchType.REGEX, "group", "g0|g2")).size());
            // a matcher that accepts "" also selects series without the label
            assertEquals(10, readAll(s, 0, 10_000, Matcher.metricName("even"), Matcher.of(MatchType.NOT_REGEX, "group", "g.*")).size());
            assertEquals(30, readAll(s, 0, 10_000, Matcher.metricName("even"), Matcher.of(MatchType.NOT_EQUAL, "group", "g0")).size());
            try (Querier q = s.querier(0, 10_000)) {
                assertEquals(List.of("__name__", "group", "i"), q.labelNames(List.of()));
                assertEquals(List.of("even", "odd"), q.labelValues("__name__", List.of()));
                assertEquals(List.of("g0", "g1", "g2", "g3", "g4"), q.labelValues("group", List.of(Matcher.metricName("even"))));
                assertEquals(List.of("g1", "g3"), q.labelValues("group", List.of(Matcher.of(MatchType.REGEX, "i", "1|3|13"))));
            }
        }
    }

    @Test
    void idleSeriesLeaveTheHeadAndStayQueryable() throws Exception {
        StorageOptions o = small().withIdleSeriesMillis(60_000);
        try (TallyStorage s = TallyStorage.open(o)) {
            Appender a = s.appender();
            Labels session = Labels.of("__name__", "tokens", "session_id", "s1");
            for (int i = 0; i < 10; i++) a.append(0, session, i * 60_000L, i * 100);
            a.commit();
            // time moves on through another series; the session series goes idle
            Labels other = Labels.of("__name__", "tokens", "session_id", "s2");
            a.append(0, other, 3_600_000L, 1);
            a.commit();
            s.flush();
            assertEquals(1, s.stats().headSeries(), "only the active series stays in the head");
            assertEquals(10, readOne(s, session).size());
            // the idle series comes back: a new head series with the same labels, read as one
            a.append(0, session, 3_700_000L, 2000);
            a.commit();
            List<Sample> back = readOne(s, session);
            assertEquals(11, back.size());
            assertEquals(new Sample(3_700_000L, 2000), back.get(10));
        }
    }

    @Test
    void aBackfillRetiresIdleSeriesWithoutWaitingForTheWallClockFlush() throws Exception {
        StorageOptions o = small().withIdleSeriesMillis(60_000); // the wall-clock flush is an hour away
        try (TallyStorage s = TallyStorage.open(o)) {
            Appender a = s.appender();
            for (int k = 0; k < 50; k++) { // 50 short sessions, one every 10 minutes of data time
                Labels l = Labels.of("__name__", "tokens", "session_id", "s" + k);
                for (int i = 0; i < 5; i++) a.append(0, l, k * 600_000L + i * 60_000L, i);
                a.commit();
            }
            long deadline = System.currentTimeMillis() + 10_000;
            while (s.stats().headSeries() > 1 && System.currentTimeMillis() < deadline) Thread.sleep(50);
            assertEquals(1, s.stats().headSeries(), "only the newest session stays in the head");
            assertEquals(50, readAll(s, 0, 50 * 600_000L, Matcher.metricName("tokens")).size());
            assertEquals(5, readOne(s, Labels.of("__name__", "tokens", "session_id", "s7")).size());
        }
    }

    /**
     * Past its series budget the storage asks ingest to wait (with a reason), and stops asking once idle series
     * have left the head: a head full of series that are still active is a capacity limit the reason names.
     */
    @Test
    void aHeadPastItsSeriesBudgetAsksIngestToWaitUntilIdleSeriesLeave() throws Exception {
        StorageOptions o = small().withIdleSeriesMillis(60_000).withMemory(new MemoryBudget(20, 1 << 20, 1 << 20, 1 << 21, 0.99, 1 << 20));
        try (TallyStorage s = TallyStorage.open(o)) {
            assertEquals(null, s.overload());
            Appender a = s.appender();
            for (int k = 0; k < 25; k++) a.append(0, Labels.of("__name__", "m", "k", "" + k), 1000, k);
            a.commit();
            tally.model.Overload busy = s.overload();
            assertTrue(busy != null && busy.reason().contains("25 series") && busy.retryAfterSeconds() > 0, String.valueOf(busy));
            // data time moves on: the 25 series are idle, the flusher retires them and ingest may go on
            a.append(0, Labels.of("__name__", "m", "k", "late"), 10 * 60_000L, 1);
            a.commit();
            long deadline = System.currentTimeMillis() + 10_000;
            while (s.overload() != null && System.currentTimeMillis() < deadline) Thread.sleep(20);
            assertEquals(null, s.overload());
            assertEquals(26, readAll(s, 0, 20 * 60_000L, Matcher.metricName("m")).size());
        }
    }

    @Test
    void retentionCountsFromTheNewestSampleNotTheWallClock() throws Exception {
        Labels old = Labels.of("__name__", "m", "age", "old");
        Labels recent = Labels.of("__name__", "m", "age", "recent");
        try (TallyStorage s = TallyStorage.open(small())) {
            Appender a = s.appender();
            a.append(0, old, 1000, 1); // 1970: far older than 90 days of wall clock
            a.commit();
            s.flush();
            Thread.sleep(1500); // the first maintenance pass has run
            s.enforceRetention();
            assertEquals(1, readOne(s, old).size(), "old data is kept while it is the newest data");

            a.append(0, recent, 100 * DAY, 2); // now the newest sample is 100 days later
            a.commit();
            s.flush();
            s.enforceRetention();
            assertTrue(readOne(s, old).isEmpty(), "a day ending more than 90 days before the newest sample is deleted");
            assertEquals(1, readOne(s, recent).size());
        }
    }

    /** Found by fuzzing OTLP/HTTP (server's fuzz-regressions/otlp-http-far-future-timestamp.bin): one sample in 2063. */
    @Test
    void aSampleFromTheFarFutureNeitherRefusesNorDeletesCurrentData() throws Exception {
        Labels current = Labels.of("__name__", "m", "age", "current");
        Labels future = Labels.of("__name__", "m", "age", "future");
        long now = System.currentTimeMillis();
        try (TallyStorage s = TallyStorage.open(small())) {
            Appender a = s.appender();
            a.append(0, current, now - 2 * DAY, 1);
            a.commit();
            s.flush();
            a.append(0, future, now + 40 * 365 * DAY, 2); // a corrupt timestamp, or a client clock decades ahead
            a.commit();
            a.append(0, current, now - 2 * DAY + 60_000, 3); // not "too old": the window is not measured from 2066
            a.commit();
            s.flush();
            s.enforceRetention();
            assertEquals(List.of(new Sample(now - 2 * DAY, 1), new Sample(now - 2 * DAY + 60_000, 3)), readOne(s, current),
                    "retention deletes nothing measured from a sample past the wall clock");
            assertEquals(List.of(new Sample(now + 40 * 365 * DAY, 2)), readOne(s, future));
        }
    }

    @Test
    void metadataSurvivesRestart() throws Exception {
        try (TallyStorage s = TallyStorage.open(small())) {
            s.putMetadata("claude_code_cost_usage_USD_total", new MetricMetadata("counter", "Cost of the session", "USD"));
        }
        try (TallyStorage s = TallyStorage.open(small())) {
            assertEquals(List.of(new MetricMetadata("counter", "Cost of the session", "USD")),
                    s.metadata().get("claude_code_cost_usage_USD_total"));
        }
    }

    @Test
    void randomWorkloadRoundTripsThroughRestarts() throws Exception {
        Random r = new Random(42);
        int seriesCount = 200;
        List<List<Sample>> expected = new ArrayList<>();
        long[] lastT = new long[seriesCount];
        for (int i = 0; i < seriesCount; i++) {
            expected.add(new ArrayList<>());
            lastT[i] = r.nextInt(1000) - 500;
        }
        for (int round = 0; round < 3; round++) {
            try (TallyStorage s = TallyStorage.open(small().withIdleSeriesMillis(600_000))) {
                Appender a = s.appender();
                for (int k = 0; k < 5000; k++) {
                    int i = r.nextInt(seriesCount);
                    lastT[i] += 1 + r.nextInt(60_000);
                    double v = r.nextInt(10) == 0 ? r.nextDouble() : Math.round(r.nextGaussian() * 100) / 100.0;
                    a.append(0, labels(i), lastT[i], v);
                    expected.get(i).add(new Sample(lastT[i], v));
                    if (r.nextInt(50) == 0) a.commit();
                    if (r.nextInt(1000) == 0) s.flush();
                }
                a.commit();
                for (int i = 0; i < seriesCount; i += 17) assertEquals(expected.get(i), readOne(s, labels(i)), "series " + i);
            }
        }
        try (TallyStorage s = TallyStorage.open(small())) {
            for (int i = 0; i < seriesCount; i++) assertEquals(expected.get(i), readOne(s, labels(i)), "series " + i);
        }
    }

    private static Labels labels(int i) {
        return Labels.of("__name__", "rand", "i", Integer.toString(i), "mod", Integer.toString(i % 7));
    }
}
