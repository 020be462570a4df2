package tally.promql.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tally.promql.engine.Q.*;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tally.model.Labels;

/** Range queries, subqueries, @ and step invariance, limits, timeouts and cancellation. */
class RangeQueryTest extends EngineTestBase {
    private static double[] values(SeriesPoints p) { return Arrays.copyOf(p.vs(), p.count()); }

    private static long[] times(SeriesPoints p) { return Arrays.copyOf(p.ts(), p.count()); }

    @Test
    void scalarRangeQueryIsOneLabelLessSeries() {
        RangeMatrix r = range("1 + 1", 0, m(2), m(1));
        assertEquals(1, r.series().size());
        assertEquals(Labels.EMPTY, r.series().get(0).labels());
        assertArrayEquals(new double[] {2, 2, 2}, values(r.series().get(0)));
    }

    @Test
    void seriesAreSortedAndGapsAreMissingPoints() {
        Labels b = l("__name__", "x", "i", "b"), a = l("__name__", "x", "i", "a");
        db.add(b, 0, 1).add(b, m(10), 2);
        db.add(a, 0, 5);
        RangeMatrix r = range("x", 0, m(10), m(5));
        assertEquals(a, r.series().get(0).labels());
        assertArrayEquals(new long[] {0}, times(r.series().get(0)), "lookback 5m is left-open: gone at 5m");
        assertArrayEquals(new long[] {0, m(10)}, times(r.series().get(1)));
    }

    @Test
    void subqueryStepsAlignToAbsoluteMultiples() {
        load(l("__name__", "c"), s(10), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        // inner steps at 40s, 60s, 80s (multiples of 20s in (25s, 85s]) -> values 4, 6, 8
        assertEquals(3.0, only("count_over_time(c[60s:20s])", s(85)));
        assertEquals(18.0, only("sum_over_time(c[60s:20s])", s(85)));
        RangeMatrix raw = (RangeMatrix) engine.instant(db, q("c[60s:20s]"), s(85)).value();
        assertArrayEquals(new long[] {s(40), s(60), s(80)}, times(raw.series().get(0)));
        // default step is the engine's 1m evaluation interval
        assertEquals(1.0, only("count_over_time(c[60s:])", s(85)));
    }

    @Test
    void subqueryOfRateInRangeQueryMatchesInstant() {
        for (int i = 0; i <= 120; i++) db.add(l("__name__", "r_total"), i * 15_000L, i * i);
        String expr = "max_over_time(rate(r_total[1m])[5m:30s])";
        RangeMatrix r = range(expr, m(10), m(25), m(1));
        SeriesPoints p = r.series().get(0);
        for (int k = 0; k < p.count(); k++) assertEquals(only(expr, p.ts()[k]), p.vs()[k], 1e-12);
    }

    /** Range functions jump over steps with empty windows; results must equal step-by-step instant queries. */
    @Test
    void rangeFunctionsOverSparseBurstsMatchInstantQueries() {
        Labels c = l("__name__", "burst_total");
        for (int k = 0; k < 5; k++) db.add(c, m(7) + k * 30_000L, k);            // first burst
        for (int k = 0; k < 5; k++) db.add(c, m(95) + k * 30_000L, 10 + k);      // second, far later
        db.add(l("__name__", "burst_total", "i", "late"), m(170), 1).add(l("__name__", "burst_total", "i", "late"), m(171), 3);
        for (String expr : new String[] {"increase(burst_total[10m])", "count_over_time(burst_total[3m])",
                "rate(burst_total[5m] offset 2m)", "max_over_time(burst_total[10m:1m])"}) {
            RangeMatrix r = range(expr, 0, m(180), m(1));
            int points = 0;
            for (SeriesPoints p : r.series()) {
                for (int k = 0; k < p.count(); k++) {
                    InstantVector iv = (InstantVector) engine.instant(db, q(expr), p.ts()[k]).value();
                    double want = Double.NaN;
                    for (Sample smp : iv.samples()) if (smp.labels().equals(p.labels())) want = smp.v();
                    assertEquals(want, p.vs()[k], 1e-12, expr + " at " + p.ts()[k]);
                    points++;
                }
            }
            int instantPoints = 0;
            for (long t = 0; t <= m(180); t += m(1)) instantPoints += ((InstantVector) engine.instant(db, q(expr), t).value()).samples().size();
            assertEquals(instantPoints, points, expr);
        }
    }

    @Test
    void atModifierSubtreesAreStepInvariant() {
        load(l("__name__", "g"), m(1), 0, 10, 20, 30, 40, 50);
        RangeMatrix r = range("rate(g[2m] @ 180) + g - g", m(1), m(5), m(1));
        assertArrayEquals(new double[] {1 / 6.0, 1 / 6.0, 1 / 6.0, 1 / 6.0, 1 / 6.0}, values(r.series().get(0)), 1e-12);
        r = range("g @ end()", m(1), m(3), m(1));
        assertArrayEquals(new double[] {30, 30, 30}, values(r.series().get(0)));
        assertEquals(Map.of(l("__name__", "g"), 10.0), vector("g @ 60", m(5)));
    }

    @Test
    void tooManyPointsPerSeries() {
        PromQLException e = assertFails(() -> range("1", 0, 11_001_000L, 1000));
        assertEquals(ErrorType.BAD_DATA, e.type());
        assertEquals("exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)",
                e.getMessage());
        assertEquals(ErrorType.BAD_DATA, assertFails(() -> range("1", 0, 10, 0)).type());
        assertEquals(ErrorType.BAD_DATA, assertFails(() -> range("x[5m]", 0, 10, 1)).type());
    }

    @Test
    void tooManySamples() {
        for (int i = 0; i < 100; i++) db.add(l("__name__", "many", "i", Integer.toString(i)), 0, i);
        engine = new Engine(new EngineOptions(300_000, 60_000, 60_000, 50, 11_000));
        PromQLException e = assertFails(() -> vector("many", 0));
        assertEquals("query processing would load too many samples into memory in query execution", e.getMessage());
        assertEquals(ErrorType.EXECUTION, e.type());
        assertEquals(ErrorType.EXECUTION, assertFails(() -> vector("count(many)", 0)).type(), "the input counts, not the output");
        assertEquals(1, vector("count(many{i=~\"1.\"})", 0).size());
    }

    @Test
    void cancellationAndTimeout() {
        db.add(l("__name__", "x"), 0, 1);
        PromQLException e = assertFails(() -> engine.instant(db, q("x"), 0, () -> true));
        assertEquals(ErrorType.CANCELED, e.type());
        for (int i = 1; i < 20_000; i++) db.add(l("__name__", "x"), i * 1000L, i);
        engine = new Engine(new EngineOptions(300_000, 60_000, 1, 50_000_000, 11_000));
        // thousands of steps over a 1h window each: far more than the 1ms budget
        e = assertFails(() -> engine.range(db, q("quantile_over_time(0.5, x[1h])"), 0, 10_000_000L, 1000, null));
        assertEquals(ErrorType.TIMEOUT, e.type());
        assertTrue(e.getMessage().startsWith("query timed out in "));
    }

    @Test
    void rangeFunctionOutputsMustNotCollide() {
        db.add(l("__name__", "a_total", "x", "1"), 0, 1).add(l("__name__", "a_total", "x", "1"), m(1), 2);
        db.add(l("__name__", "b_total", "x", "1"), m(30), 1).add(l("__name__", "b_total", "x", "1"), m(31), 2);
        PromQLException e = assertFails(() -> range("rate({x=\"1\"}[5m])", 0, m(40), m(1)));
        assertEquals("vector cannot contain metrics with the same labelset", e.getMessage());
        assertEquals(2, range("last_over_time({x=\"1\"}[5m])", 0, m(40), m(1)).series().size(), "names kept: no collision");
    }

    @Test
    void sessionCounterAppearingMidQuery() {
        // a Claude Code session starts exporting at 10m05s; the counter is born inside the first windows
        Labels c = l("__name__", "claude_code_cost_usage_USD_total", "model", "opus");
        double v = 0;
        for (long t = m(10) + s(5); t <= m(30); t += s(60)) db.add(c, t, v += 0.5);
        RangeMatrix r = range("sum by (model) (increase(claude_code_cost_usage_USD_total[5m]))", m(10), m(30), m(5));
        SeriesPoints p = r.series().get(0);
        assertEquals(l("model", "opus"), p.labels());
        assertArrayEquals(new long[] {m(15), m(20), m(25), m(30)}, times(p), "the window at 10m holds no sample yet");
        // at 15m the window (10m, 15m] holds 10m05s..14m05s, values 0.5..2.5: +2.0 over 240s. The 5s to the
        // window start and the 55s to its end are both below 1.1 intervals (66s) and the zero point lies 60s
        // back, so the extrapolation covers the whole window: 2.0 * (240 + 5 + 55) / 240 = 2.5
        for (int k = 0; k < p.count(); k++) assertEquals(2.5, p.vs()[k], 1e-12);
    }

    @Test
    void stringAndScalarInstantResults() {
        assertEquals(new StringValue(5, "hi"), engine.instant(db, q("\"hi\""), 5).value());
        assertEquals(new Scalar(5, 3), engine.instant(db, q("3"), 5).value());
    }
}
