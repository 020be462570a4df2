package tally.storage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tally.storage.store.StoreTestSupport.DAY;
import static tally.storage.store.StoreTestSupport.all;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Labels;
import tally.model.Matcher;
import tally.model.QueryLimitException;

/**
 * Running queries share a budget of selected series: a query alone over it fails as too large, one that needs room
 * others hold fails as "retry", and closing a reader gives its room back. Nothing waits, so nothing deadlocks.
 */
class QuerySeriesBudgetTest {
    @TempDir
    Path dir;

    @Test
    void selectionsShareTheBudgetAndGiveItBackAtClose() throws Exception {
        StoreOptions o = new StoreOptions(DAY, 1000 * DAY, 0, 50_000, 50_000).withQuerySeries(3 * QuerySeriesBudget.STEP);
        try (ChunkStore s = ChunkStore.open(dir, o)) {
            int n = 4 * QuerySeriesBudget.STEP;
            for (int i = 0; i < n; i++) {
                Labels l = Labels.of("__name__", "m", "half", i % 2 == 0 ? "a" : "b", "i", Integer.toString(i));
                s.write(i, l, StoreTestSupport.chunk(l, 1000), 1000, 2000);
            }
            QueryLimitException tooLarge = assertThrows(QueryLimitException.class, () -> {
                try (StoreReader r = s.reader(0, DAY)) {
                    r.select(all(), false);
                }
            });
            assertFalse(tooLarge.retryable(), tooLarge.getMessage());
            assertEquals(0, s.queryBudget().inUse(), "a failed selection gives its room back at close");

            List<Matcher> half = List.of(Matcher.equal("half", "a"));
            try (StoreReader first = s.reader(0, DAY)) {
                assertEquals(n / 2, first.select(half, false).size());
                QueryLimitException busy = assertThrows(QueryLimitException.class, () -> {
                    try (StoreReader second = s.reader(0, DAY)) {
                        second.select(List.of(Matcher.equal("half", "b")), false);
                    }
                });
                assertTrue(busy.retryable(), busy.getMessage());
            }
            assertEquals(0, s.queryBudget().inUse());
            try (StoreReader second = s.reader(0, DAY)) {
                assertEquals(n / 2, second.select(List.of(Matcher.equal("half", "b")), false).size(), "room again once the first closed");
            }
            // two selections of one query (a / b) share its room: together too large is "narrow it", not "retry"
            QuerySeriesBudget.Reservation query = s.queryBudget().reservation();
            try (StoreReader a = s.reader(0, DAY, query)) {
                a.select(half, false);
                QueryLimitException both = assertThrows(QueryLimitException.class, () -> {
                    try (StoreReader b = s.reader(0, DAY, query)) {
                        b.select(List.of(Matcher.equal("half", "b")), false);
                    }
                });
                assertFalse(both.retryable(), both.getMessage());
            }
            assertEquals(0, s.queryBudget().inUse());
        }
    }
}
