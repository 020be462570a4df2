package tally.promql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tally.model.Labels;
import tally.promql.ast.AggregateExpr;
import tally.promql.ast.Expr;

/**
 * An aggregation straight over a range function folds each series' points in as they are computed; the answer must be
 * the unfused path's, bit for bit.
 */
class RangeAggregationTest extends EngineTestBase {
    private static final long STEP = 60_000;
    private static final String[] OPS = {"sum", "avg", "count", "min", "max", "group", "stddev", "stdvar"};
    private static final String[] GROUPINGS = {"", " by (g)", " by (g, h)", " without (id)", " without (h, id)",
            " by (__name__, g)", " by (nope)"};
    private static final String[] CALLS = {"rate(m[5m])", "increase(m[10m])", "last_over_time(m[10m])",
            "max_over_time(m[7m])", "sum_over_time(m[10m])", "delta(m[10m] offset 3m)", "quantile_over_time(0.3, m[10m])"};

    @BeforeEach
    void data() {
        db.reverseWhenUnsorted = true; // unsorted reads come in another order than sorted ones
        Random rnd = new Random(7);
        for (int i = 0; i < 400; i++) {
            int n = 5 + rnd.nextInt(60);
            double[] vs = new double[n];
            double v = rnd.nextInt(1000);
            for (int k = 0; k < n; k++) {
                // counters with resets, large and tiny increments (rounding differs by order), a NaN now and then
                v = rnd.nextInt(25) == 0 ? rnd.nextDouble() : v + rnd.nextDouble() * (rnd.nextBoolean() ? 1e9 : 1e-3);
                vs[k] = rnd.nextInt(200) == 0 ? Double.NaN : v;
            }
            Labels l = Labels.of("__name__", "m", "g", "g" + rnd.nextInt(4), "h", "h" + rnd.nextInt(40), "id", "s" + i);
            // series start at different times: short-lived ones cover few steps of a range query
            db.series(l, rnd.nextInt(50) * STEP, STEP, vs);
        }
    }

    @Test
    void instantQueriesMatchTheUnfusedPathBitForBit() {
        for (String call : CALLS) {
            for (String op : OPS) {
                for (String grouping : GROUPINGS) {
                    for (long t : new long[] {30 * STEP, 60 * STEP + 17_000, 200 * STEP}) {
                        assertSame(op + grouping + " (" + call + ")", t, t, STEP);
                    }
                }
            }
        }
    }

    @Test
    void rangeQueriesMatchTheUnfusedPathBitForBit() {
        for (String call : CALLS) {
            for (String op : OPS) {
                for (String grouping : GROUPINGS) assertSame(op + grouping + " (" + call + ")", 0, 130 * STEP, 30_000);
            }
        }
    }

    /** 400 groups x 3,000 steps is past the accumulator cells: the aggregation falls back, with the same answer. */
    @Test
    void tooManyGroupsTimesStepsFallsBackToTheUnfusedPath() {
        assertSame("sum by (id) (rate(m[5m]))", 0, 3000 * 2_000L, 2_000);
        assertSame("max without (g) (last_over_time(m[10m]))", 0, 3000 * 2_000L, 2_000);
    }

    @Test
    void onlyAnAggregationOverARangeFunctionOfOnePinnedMetricIsFused() {
        assertNotNull(fusable("sum by (g) (rate(m[5m]))"));
        assertNotNull(fusable("avg ((increase(m[5m])))"));
        assertNull(fusable("sum(rate({__name__=~\"m|n\"}[5m]))"), "dropping names may merge series: checked unfused");
        assertNull(fusable("topk(2, rate(m[5m]))"));
        assertNull(fusable("sum(absent_over_time(m[5m]))"));
        assertNull(fusable("sum(rate(m[5m:1m]))"), "a subquery");
        assertNull(fusable("sum(rate(m[5m])) + sum(rate(m[5m]))"), "computed once for both uses instead");
    }

    private Object fusable(String promql) {
        Expr root = q(promql);
        QueryContext ctx = new QueryContext(db.querier(0, 1), EngineOptions.defaults(), promql, 0, 0, () -> false, root);
        AggregateExpr a = (AggregateExpr) root.descendants().stream().filter(e -> e instanceof AggregateExpr).findFirst().orElseThrow();
        return RangeAggregation.fusable(ctx, a);
    }

    /**
     * The reference repeats the call outside the aggregation, so the aggregation's input is computed unfused (a
     * repeated call is shared instead) in the same order; the repeat itself adds nothing ({@code and nothing}).
     */
    private void assertSame(String fused, long start, long end, long step) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\((\\w+\\((0\\.3, )?m\\[[^]]+\\]( offset 3m)?\\))\\)$").matcher(fused);
        if (!m.find()) throw new AssertionError("no call in " + fused);
        String unfused = "(" + fused + ") or (" + m.group(1) + " and nothing)";
        java.util.Map<Labels, SeriesPoints> want = byLabels(range(unfused, start, end, step).series());
        java.util.Map<Labels, SeriesPoints> got = byLabels(range(fused, start, end, step).series());
        assertEquals(want.keySet(), got.keySet(), fused);
        for (SeriesPoints w : want.values()) {
            SeriesPoints g = got.get(w.labels());
            assertEquals(w.count(), g.count(), fused + " " + w.labels());
            for (int p = 0; p < w.count(); p++) {
                assertEquals(w.ts()[p], g.ts()[p], fused);
                assertEquals(Double.doubleToRawLongBits(w.vs()[p]), Double.doubleToRawLongBits(g.vs()[p]),
                        fused + " " + w.labels() + " at " + w.ts()[p] + ": " + w.vs()[p] + " vs " + g.vs()[p]);
            }
        }
    }

    private static java.util.Map<Labels, SeriesPoints> byLabels(List<SeriesPoints> series) {
        java.util.Map<Labels, SeriesPoints> out = new java.util.HashMap<>();
        for (SeriesPoints s : series) assertNull(out.put(s.labels(), s), "duplicate " + s.labels());
        return out;
    }
}
