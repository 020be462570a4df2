package tally.promql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tally.promql.engine.Q.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tally.model.Labels;

class AggregationTest extends EngineTestBase {
    @BeforeEach
    void data() {
        // the classic http_requests fixture at 50m: values 100..800
        String[][] ids = {{"api-server", "0", "production"}, {"api-server", "1", "production"},
                {"api-server", "0", "canary"}, {"api-server", "1", "canary"}, {"app-server", "0", "production"},
                {"app-server", "1", "production"}, {"app-server", "0", "canary"}, {"app-server", "1", "canary"}};
        for (int i = 0; i < ids.length; i++) {
            db.add(l("__name__", "http_requests", "job", ids[i][0], "instance", ids[i][1], "group", ids[i][2]), m(50), 100 * (i + 1));
        }
    }

    @Test
    void sumAvgCountByAndWithout() {
        assertEquals(Map.of(l("job", "api-server"), 1000.0, l("job", "app-server"), 2600.0),
                vector("sum by (job) (http_requests)", m(50)));
        assertEquals(Map.of(l("job", "api-server"), 1000.0, l("job", "app-server"), 2600.0),
                vector("sum without (instance, group) (http_requests)", m(50)), "without drops the name too");
        assertEquals(Map.of(l("job", "api-server"), 250.0, l("job", "app-server"), 650.0),
                vector("avg by (job) (http_requests)", m(50)));
        assertEquals(8.0, only("count(http_requests)", m(50)));
        assertEquals(Map.of(l("__name__", "http_requests"), 3600.0), vector("sum by (__name__) (http_requests)", m(50)));
    }

    @Test
    void minMaxGroupStddev() {
        assertEquals(800.0, only("max(http_requests)", m(50)));
        assertEquals(100.0, only("min(http_requests)", m(50)));
        assertEquals(1.0, only("group(http_requests)", m(50)));
        assertClose(229.12878474779, only("stddev(http_requests)", m(50)));
        assertClose(52500, only("stdvar(http_requests)", m(50)));
    }

    @Test
    void nanHandling() {
        Labels a = l("__name__", "x", "p", "a"), b = l("__name__", "x", "p", "b");
        db.add(a, 0, Double.NaN).add(b, 0, 2);
        assertEquals(2.0, only("max(x)", 0), "NaN loses against any number");
        assertEquals(2.0, only("min(x)", 0));
        assertTrue(Double.isNaN(only("sum(x)", 0)));
        assertTrue(Double.isNaN(only("stddev(x)", 0)));
    }

    @Test
    void kahanSummation() {
        db.add(l("__name__", "d", "p", "a"), 0, 2).add(l("__name__", "d", "p", "b"), 0, 8)
                .add(l("__name__", "d", "p", "c"), 0, 1e100).add(l("__name__", "d", "p", "d"), 0, -1e100);
        assertEquals(10.0, only("sum(d)", 0));
        assertEquals(2.5, only("avg(d)", 0));
    }

    @Test
    void avgDoesNotOverflow() {
        db.add(l("__name__", "big", "p", "a"), 0, Double.MAX_VALUE).add(l("__name__", "big", "p", "b"), 0, Double.MAX_VALUE);
        assertEquals(Double.MAX_VALUE, only("avg(big)", 0));
    }

    @Test
    void topkAndBottomkKeepLabelsAndOrder() {
        List<Labels> order = new ArrayList<>(vector("topk(3, http_requests)", m(50)).keySet());
        assertEquals(3, order.size());
        assertEquals("800", Double.toString(vector("topk(1, http_requests)", m(50)).values().iterator().next()).replace(".0", ""));
        Map<Labels, Double> top = vector("topk(3, http_requests)", m(50));
        assertEquals(List.of(800.0, 700.0, 600.0), new ArrayList<>(top.values()));
        assertEquals("http_requests", order.get(0).metricName(), "topk keeps the metric name");
        Map<Labels, Double> bottom = vector("bottomk by (job) (1, http_requests)", m(50));
        assertEquals(List.of(100.0, 500.0), new ArrayList<>(bottom.values()));
        assertTrue(vector("topk(0, http_requests)", m(50)).isEmpty());
    }

    @Test
    void topkPrefersNumbersOverNaN() {
        db.add(l("__name__", "n", "p", "a"), 0, Double.NaN).add(l("__name__", "n", "p", "b"), 0, 1);
        assertEquals(Map.of(l("__name__", "n", "p", "b"), 1.0), vector("topk(1, n)", 0));
        assertEquals(Map.of(l("__name__", "n", "p", "b"), 1.0), vector("bottomk(1, n)", 0));
    }

    @Test
    void topkInRangeQueryPicksPerStep() {
        Labels a = l("__name__", "s", "p", "a"), b = l("__name__", "s", "p", "b");
        db.add(a, 0, 1).add(a, m(1), 3).add(b, 0, 2).add(b, m(1), 0);
        RangeMatrix r = range("topk(1, s)", 0, m(1), m(1));
        assertEquals(2, r.series().size());
        assertEquals(a, r.series().get(0).labels());
        assertEquals(m(1), r.series().get(0).ts()[0]);
        assertEquals(0L, r.series().get(1).ts()[0]);
    }

    @Test
    void countValuesAndQuantile() {
        db.add(l("__name__", "v", "i", "1"), 0, 6).add(l("__name__", "v", "i", "2"), 0, 6).add(l("__name__", "v", "i", "3"), 0, 7.5);
        assertEquals(Map.of(l("version", "6"), 2.0, l("version", "7.5"), 1.0), vector("count_values(\"version\", v)", 0));
        assertEquals(6.0, only("quantile(0.5, v)", 0));
        assertEquals(6.75, only("quantile(0.75, v)", 0));
        QueryResult qr = engine.instant(db, q("quantile(2, v)"), 0);
        assertEquals(Double.POSITIVE_INFINITY, ((InstantVector) qr.value()).samples().get(0).v());
        assertEquals(1, qr.warnings().size());
    }

    @Test
    void topkParameterErrors() {
        PromQLException e = assertFails(() -> vector("topk(scalar(nothing), http_requests)", m(50)));
        assertEquals("Parameter value is NaN", e.getMessage());
    }

    @Test
    void limitk() {
        assertEquals(3, vector("limitk(3, http_requests)", m(50)).size());
        assertEquals(8, vector("limit_ratio(1, http_requests)", m(50)).size());
        int half = vector("limit_ratio(0.5, http_requests)", m(50)).size();
        int otherHalf = vector("limit_ratio(-0.5, http_requests)", m(50)).size();
        assertEquals(8, half + otherHalf, "r and -(1-r) pick complementary series");
    }

    @Test
    void emptyInputGivesEmptyOutput() {
        assertTrue(vector("sum(nothing)", m(50)).isEmpty());
        assertTrue(vector("count(nothing)", m(50)).isEmpty());
    }
}
