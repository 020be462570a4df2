package tally.storage.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Appender;
import tally.model.Labels;
import tally.model.Matcher;
import tally.model.Querier;
import tally.model.SampleIterator;
import tally.model.SelectHints;
import tally.model.SeriesSet;
import tally.storage.StorageOptions;
import tally.storage.TallyStorage;

/**
 * Unsorted selects (what the engine asks for under sum, count, ...) return exactly the series of sorted ones,
 * each once with all its samples, for series spread over several partitions and over head and store.
 */
class SortedAndUnsortedSelectTest {
    private static final long HOUR = 3_600_000L;

    @TempDir
    Path dir;

    @Test
    void sameSeriesAndSamplesEitherWay() throws Exception {
        Random r = new Random(5);
        StorageOptions o = StorageOptions.defaults(dir).withSamplesPerChunk(8).withFlushIntervalMillis(3_600_000L)
                .withIdleSeriesMillis(2 * HOUR);
        try (TallyStorage s = TallyStorage.open(o)) {
            Appender a = s.appender();
            // sessions over 3 days: some cross midnight (two partitions), the newest stay in the head
            for (int session = 0; session < 120; session++) {
                long start = session * 36 * 60_000L + r.nextInt(60_000);
                int minutes = 20 + r.nextInt(400);
                for (String model : new String[] {"opus", "sonnet"}) {
                    Labels l = Labels.of("__name__", "cost", "session_id", "s" + r.nextInt(1_000_000), "model", model);
                    for (int m = 0; m < minutes; m += 1 + r.nextInt(3)) a.append(0, l, start + m * 60_000L, m);
                }
                a.commit();
                if (session % 10 == 0) s.flush();
            }
            s.flush();
            for (long[] range : new long[][] {{0, 80 * HOUR}, {20 * HOUR, 30 * HOUR}, {70 * HOUR, 80 * HOUR}}) {
                Map<Labels, List<Long>> sorted = read(s, true, range[0], range[1]);
                Map<Labels, List<Long>> unsorted = read(s, false, range[0], range[1]);
                assertTrue(sorted.size() > 10, "the range holds data");
                assertEquals(sorted, unsorted);
            }
        }
    }

    /** Samples (time and value folded into one long) per series; fails on a series returned twice or out of order. */
    private static Map<Labels, List<Long>> read(TallyStorage s, boolean sorted, long mint, long maxt) {
        Map<Labels, List<Long>> out = new HashMap<>();
        Labels prev = null;
        try (Querier q = s.querier(mint, maxt)) {
            SeriesSet set = q.select(sorted, SelectHints.range(mint, maxt), List.of(Matcher.metricName("cost")));
            SampleIterator it = null;
            while (set.next()) {
                Labels l = set.at().labels();
                if (sorted && prev != null) assertTrue(prev.compareTo(l) < 0, prev + " before " + l);
                prev = l;
                List<Long> samples = new ArrayList<>();
                it = set.at().iterator(it);
                while (it.next()) samples.add(it.atT() * 1000 + (long) it.atV());
                assertTrue(out.put(l, samples) == null, "returned twice: " + l);
            }
        }
        return out;
    }
}
