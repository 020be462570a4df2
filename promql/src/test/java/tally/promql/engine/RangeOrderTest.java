package tally.promql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tally.model.Labels;

/**
 * A range query's matrix is sorted by labels once, at the end: what produces it may come unsorted (storage skips
 * its sort, an aggregation its groups'), and its steps are checked once, in Prometheus's order.
 */
class RangeOrderTest extends EngineTestBase {
    @BeforeEach
    void data() {
        db.reverseWhenUnsorted = true;
        for (String a : new String[] {"a", "b", "c"}) {
            for (String b : new String[] {"x", "y"}) load(Labels.of("__name__", "m", "a", a, "b", b), 15_000, 1, 2, 3, 4, 5, 6, 7, 8);
        }
    }

    private List<String> labels(RangeMatrix m) {
        return m.series().stream().map(s -> s.labels().toString()).toList();
    }

    private static List<String> sorted(List<String> l) {
        return l.stream().sorted().toList();
    }

    @Test
    void selectorsAndAggregationsAtTheTopAreReadUnsortedAndSortedOnce() {
        for (String q : new String[] {"m", "rate(m[1m])", "sum by (a) (m)", "max by (b) (rate(m[1m]))", "count(m)"}) {
            db.sortedAsked.clear();
            RangeMatrix r = range(q, 0, 90_000, 15_000);
            assertEquals(List.of(false), db.sortedAsked, q);
            List<String> got = labels(r);
            assertEquals(sorted(got), got, q);
        }
        assertEquals(6, range("m", 0, 90_000, 15_000).series().size());
        assertEquals(3, range("sum by (a) (m)", 0, 90_000, 15_000).series().size());
    }

    @Test
    void instantQueriesStillReadSorted() {
        db.sortedAsked.clear();
        engine.instant(db, q("m"), 60_000);
        assertEquals(List.of(true), db.sortedAsked);
    }

    @Test
    void stepsCheckedInPrometheusOrder() {
        PromQLException e = assertThrows(PromQLException.class,
                () -> RangeSteps.of(10, 5, () -> { throw new AssertionError("step read before the end was checked"); }, 11_000));
        assertEquals("end timestamp must not be before start time", e.getMessage());
        e = assertThrows(PromQLException.class, () -> RangeSteps.of(0, 5, () -> 0, 11_000));
        assertEquals("zero or negative query resolution step widths are not accepted. Try a positive integer", e.getMessage());
        e = assertThrows(PromQLException.class, () -> RangeSteps.of(0, 11_001, () -> 1, 11_000));
        assertEquals("exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)",
                e.getMessage());
        assertEquals(ErrorType.BAD_DATA, e.type());
        RangeSteps ok = RangeSteps.of(0, 11_000, () -> 1, 11_000);
        assertEquals(1, ok.stepMs());
    }
}
