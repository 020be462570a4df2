package tally.promql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tally.model.Labels;

/**
 * A range function written twice is computed once and each use gets its own copy (consumers change their input in
 * place); the dashboards' exact totals under an aggregation read storage unsorted through their set operation.
 */
class RepeatedCallsTest extends EngineTestBase {
    @BeforeEach
    void data() {
        db.reverseWhenUnsorted = true;
        for (String a : new String[] {"a", "b", "c"}) {
            load(Labels.of("__name__", "m", "a", a), 60_000, 1, 2, 3, 4, 5, 6, 7, 8);
        }
    }

    @Test
    void eachUseOfARepeatedCallGetsItsOwnSeries() {
        // the unary minus negates its operand in place: a shared result would turn the sum into -2x or 0 wrongly
        assertEquals(Map.of(Labels.of("a", "a"), 0.0, Labels.of("a", "b"), 0.0, Labels.of("a", "c"), 0.0),
                vector("-last_over_time(m[10m]) + last_over_time(m[10m])", 420_000));
        // per series: -8 - 8 + 8 * 4
        assertEquals(48.0, only("sum(-last_over_time(m[10m]) - last_over_time(m[10m]) + 8 * last_over_time(m[3m] offset 4m))", 420_000));
        assertEquals(24.0, only("sum(last_over_time(m[10m]) or last_over_time(m[10m]))", 420_000));
    }

    @Test
    void theExactTotalShapeUnderAnAggregationReadsUnsorted() {
        db.sortedAsked.clear();
        double v = only("sum((last_over_time(m[5m]) - last_over_time(m[2m] offset 5m)) or last_over_time(m[5m]))", 420_000);
        assertEquals(3 * (8 - 3), v, 1e-9);
        assertEquals(List.of(false, false), db.sortedAsked, "both selects (the repeated one is read once) unsorted");
        // at the top of an instant query the order is the answer's: still sorted
        db.sortedAsked.clear();
        vector("last_over_time(m[5m]) or last_over_time(m[1m])", 420_000);
        assertEquals(List.of(true, true), db.sortedAsked);
    }
}
