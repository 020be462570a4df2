package tally.storage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static tally.storage.store.StoreTestSupport.DAY;
import static tally.storage.store.StoreTestSupport.chunk;
import static tally.storage.store.StoreTestSupport.claude;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Labels;
import tally.model.Matcher;
import tally.storage.index.LabelsOrder;

/**
 * A selection kept in flat arrays (labels read when asked for, chunks laid out per series) answers as one built
 * series by series: unsorted and sorted reads hold the same series with the same chunks in time order, over
 * sealed and open blocks of several days, with series written in any order and spread over several blocks.
 */
class StoredSelectionTest {
    @TempDir
    Path dir;

    @Test
    void unsortedAndSortedSelectionsAgreeAcrossBlocks() throws Exception {
        Random rnd = new Random(3);
        Map<Labels, List<Long>> written = new HashMap<>();
        try (ChunkStore s = ChunkStore.open(dir, StoreOptions.defaults())) {
            List<Labels> series = new ArrayList<>();
            for (int i = 0; i < 300; i++) series.add(claude(i % 3 == 0 ? "cost" : "tokens", "s" + i, i % 2 == 0 ? "opus" : "haiku"));
            // chunks over four days in random order: most series in one day, some across days (a session past midnight)
            for (int k = 0; k < 900; k++) {
                int i = rnd.nextInt(series.size());
                Labels l = series.get(i);
                long day = i % 5 == 0 ? rnd.nextInt(4) : i % 4;
                long minT = day * DAY + rnd.nextInt(1000) * 60_000L;
                s.write(i, l, chunk(l, minT), minT, minT + 30_000);
                written.computeIfAbsent(l, x -> new ArrayList<>()).add(minT);
            }
            s.sealPartitionsEndingBefore(2 * DAY); // days 0 and 1 sealed, 2 and 3 still being written
            for (List<Matcher> ms : List.of(List.of(Matcher.metricName("tokens")), StoreTestSupport.all())) {
                try (StoreReader r = s.reader(0, 4 * DAY)) {
                    Map<Labels, List<String>> unsorted = read(r.select(ms, false));
                    Map<Labels, List<String>> sorted = read(r.select(ms, true));
                    assertEquals(sorted, unsorted);
                    int want = 0;
                    for (Map.Entry<Labels, List<Long>> e : written.entrySet()) {
                        if (!ms.stream().allMatch(m -> m.matches(e.getKey()))) continue;
                        want++;
                        List<String> chunks = e.getValue().stream().distinct().sorted()
                                .map(t -> new String(chunk(e.getKey(), t), StandardCharsets.UTF_8)).toList();
                        assertEquals(chunks, unsorted.get(e.getKey()), e.getKey().toString());
                    }
                    assertEquals(want, unsorted.size());
                    List<Labels> order = r.select(ms, true).stream().map(StoredSeries::labels).toList();
                    assertEquals(order.stream().sorted(LabelsOrder::compare).toList(), order, "sorted by labels");
                }
            }
        }
    }

    /** Each series' chunks as read, checking the labels hash the selection kept against the labels it reads. */
    private static Map<Labels, List<String>> read(List<StoredSeries> selection) {
        Map<Labels, List<String>> out = new HashMap<>();
        for (StoredSeries s : selection) {
            Labels l = s.labels();
            assertEquals(LabelsOrder.hash(l), s.labelsHash(), l.toString());
            List<String> chunks = new ArrayList<>();
            ChunkCursor c = s.chunks(Long.MIN_VALUE, Long.MAX_VALUE);
            long lastMin = Long.MIN_VALUE;
            while (c.next()) {
                assertEquals(true, c.minT() >= lastMin, "time order");
                lastMin = c.minT();
                chunks.add(new String(c.array(), c.offset(), c.length(), StandardCharsets.UTF_8));
            }
            assertNull(out.put(l, chunks), "one series per label set: " + l);
        }
        return out;
    }
}
