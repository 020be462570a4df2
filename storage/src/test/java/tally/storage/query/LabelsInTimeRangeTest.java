package tally.storage.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Appender;
import tally.model.Labels;
import tally.model.Matcher;
import tally.model.Querier;
import tally.model.SelectHints;
import tally.model.SeriesSet;
import tally.storage.StorageOptions;
import tally.storage.TallyStorage;

/**
 * Label names, label values and series of a time range are those of the series with a chunk overlapping it, in the
 * head and in the store's blocks; a range without data answers empty, as Prometheus does (Grafana's label browser
 * shows the difference). Not whole days (the store's partitions) or a head series' whole span.
 */
class LabelsInTimeRangeTest {
    private static final long DAY = 86_400_000L;
    private static final long HOUR = 3_600_000L;
    private static final long MIN = 60_000L;

    @TempDir
    Path dir;

    private StorageOptions opts() {
        return StorageOptions.defaults(dir).withSamplesPerChunk(16).withFlushIntervalMillis(HOUR);
    }

    private static void write(Appender a, Labels l, long from, long to) {
        for (long t = from; t <= to; t += 15_000L) a.append(0, l, t, t / 1000.0);
    }

    /** What the metadata endpoints would list for [mint, maxt]: names, values of one label, and series. */
    private record Listed(List<String> names, List<String> jobs, List<String> series) {}

    private static Listed list(TallyStorage s, long mint, long maxt, List<Matcher> matchers) {
        try (Querier q = s.querier(mint, maxt)) {
            List<String> series = new ArrayList<>();
            List<Matcher> select = matchers.isEmpty() ? List.of(Matcher.of(tally.model.MatchType.REGEX, "__name__", ".+")) : matchers;
            SeriesSet set = q.select(true, SelectHints.range(mint, maxt), select);
            while (set.next()) series.add(set.at().labels().toString());
            return new Listed(q.labelNames(matchers), q.labelValues("job", matchers), series);
        }
    }

    private static final Listed NOTHING = new Listed(List.of(), List.of(), List.of());

    @Test
    void sealedBlockOfAPastDay() throws Exception {
        long day = Math.floorDiv(System.currentTimeMillis(), DAY) * DAY - 3 * DAY;
        Labels early = Labels.of("__name__", "early", "job", "a", "zone", "z1");
        Labels late = Labels.of("__name__", "late", "job", "b");
        try (TallyStorage s = TallyStorage.open(opts())) {
            Appender a = s.appender();
            write(a, early, day + 10 * HOUR, day + 10 * HOUR + 10 * MIN);
            write(a, late, day + 20 * HOUR, day + 20 * HOUR + 10 * MIN);
            a.append(0, Labels.of("__name__", "now"), System.currentTimeMillis(), 1); // the day's series are idle now
            a.commit();
            s.flush(); // all of the day's chunks leave the head for the day's block, which is sealed
            assertEquals(0, s.stats().headPendingBytes());
            check(s, day, early, late);
        }
        try (TallyStorage s = TallyStorage.open(opts())) { // and as reopened from the sealed files
            check(s, day, early, late);
        }
    }

    private static void check(TallyStorage s, long day, Labels early, Labels late) {
        Matcher jobA = Matcher.equal("job", "a");
        assertEquals(NOTHING, list(s, day + 12 * HOUR, day + 13 * HOUR, List.of()), "between the two: nothing");
        assertEquals(NOTHING, list(s, day + 12 * HOUR, day + 13 * HOUR, List.of(jobA)));
        assertEquals(NOTHING, list(s, day, day + 9 * HOUR, List.of()), "the day's start, before any data");
        assertEquals(new Listed(List.of("__name__", "job", "zone"), List.of("a"), List.of(early.toString())),
                list(s, day + 10 * HOUR + 5 * MIN, day + 12 * HOUR, List.of()), "a range touching the early chunk only");
        assertEquals(new Listed(List.of("__name__", "job"), List.of("b"), List.of(late.toString())),
                list(s, day + 19 * HOUR, day + DAY - 1, List.of()));
        assertEquals(new Listed(List.of("__name__", "job", "zone"), List.of("a", "b"), List.of(early.toString(), late.toString())),
                list(s, day, day + DAY - 1, List.of()), "the whole day");
    }

    @Test
    void headHoldsAGapBetweenASealedAndTheOpenChunk() throws Exception {
        long t0 = Math.floorDiv(System.currentTimeMillis(), DAY) * DAY + HOUR; // today: nothing leaves the head
        Labels gappy = Labels.of("__name__", "gappy", "job", "a");
        try (TallyStorage s = TallyStorage.open(opts().withIdleSeriesMillis(DAY))) {
            Appender a = s.appender();
            write(a, gappy, t0, t0 + 15 * 15_000L); // 16 samples fill a chunk: the next sample opens another
            write(a, gappy, t0 + 2 * HOUR, t0 + 2 * HOUR + 5 * MIN);
            a.commit();
            assertEquals(NOTHING, list(s, t0 + 30 * MIN, t0 + 90 * MIN, List.of()), "inside the gap");
            assertEquals(NOTHING, list(s, t0 + 30 * MIN, t0 + 90 * MIN, List.of(Matcher.equal("job", "a"))));
            assertEquals(NOTHING, list(s, t0 - HOUR, t0 - 1, List.of()), "before the series");
            assertEquals(new Listed(List.of("__name__", "job"), List.of("a"), List.of(gappy.toString())),
                    list(s, t0 + 90 * MIN, t0 + 2 * HOUR, List.of()), "the open chunk's first sample");
        }
    }
}
