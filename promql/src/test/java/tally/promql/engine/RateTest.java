package tally.promql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tally.promql.engine.Q.*;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tally.model.Labels;

/** rate/increase/delta/irate/idelta with values from Prometheus's own test scripts and hand computation. */
class RateTest extends EngineTestBase {
    private static double[] ramp(double start, double inc, int n) {
        double[] v = new double[n + 1];
        for (int i = 0; i <= n; i++) v[i] = start + inc * i;
        return v;
    }

    @Test
    void increaseExtrapolatesAndStopsAtZero() {
        load(l("__name__", "http_requests_total", "path", "/foo"), m(5), ramp(0, 10, 10));
        double[] bar = new double[12];
        for (int i = 0; i < 6; i++) {
            bar[i] = 18 * i;
            bar[i + 6] = 18 * i;
        }
        load(l("__name__", "http_requests_total", "path", "/bar"), m(5), bar);
        load(l("__name__", "http_requests_total", "path", "/dings"), m(5), ramp(10, 10, 10));
        load(l("__name__", "http_requests_total", "path", "/bumms"), m(5), ramp(1, 10, 10));
        Map<Labels, Double> r = vector(call("increase", matrix(sel("http_requests_total"), "50m")), m(50));
        assertClose(100, r.get(l("path", "/foo")));
        assertClose(160, r.get(l("path", "/bar")));
        assertClose(100, r.get(l("path", "/dings")));
        assertClose(100, r.get(l("path", "/bumms")));
        r = vector(call("increase", matrix(sel("http_requests_total"), "100m")), m(50));
        assertClose(100, r.get(l("path", "/foo")));
        assertClose(162, r.get(l("path", "/bar")));
        assertClose(105, r.get(l("path", "/dings")));
        assertClose(101, r.get(l("path", "/bumms")));
    }

    @Test
    void counterResetsAreAddedBack() {
        load(l("__name__", "c_total"), m(5), 0, 1, 2, 3, 2, 3, 4);
        assertClose(7, only(call("increase", matrix(sel("c_total"), "30m")), m(30)));
        assertEquals(1.0, only(call("resets", matrix(sel("c_total"), "30m")), m(30)));
    }

    @Test
    void rateWithResetInTheMiddleAndAtTheEnd() {
        double[] middle = new double[11]; // 0+27x4 0+27x5
        for (int i = 0; i < 5; i++) middle[i] = 27 * i;
        for (int i = 0; i < 6; i++) middle[5 + i] = 27 * i;
        load(l("__name__", "reset_middle_total"), m(5), middle);
        double[] end = new double[12];
        for (int i = 0; i < 10; i++) end[i] = 10 * i;
        end[10] = 0;
        end[11] = 10;
        load(l("__name__", "reset_end_total"), m(5), end);
        assertClose(0.08, only(call("rate", matrix(sel("reset_middle_total"), "50m")), m(50)));
        assertTrue(vector(call("rate", matrix(sel("reset_end_total"), "5m")), m(50)).isEmpty(), "one sample: no rate");
        assertClose(0, only(call("rate", matrix(sel("reset_end_total"), "6m")), m(50)));
    }

    @Test
    void zeroCutoffOfLeftExtrapolation() {
        for (int start = 0; start <= 5; start++) {
            load(l("__name__", "zc_total", "start", start + "m"), m(4), ramp(60 * start, 240, 10));
        }
        Map<Labels, Double> r = vector(call("rate", matrix(sel("zc_total"), "20m")), m(10));
        double[] want = {0.5, 0.55, 0.6, 0.6, 0.6, 0.6};
        for (int start = 0; start <= 5; start++) assertClose(want[start], r.get(l("start", start + "m")));
        r = vector(call("rate", matrix(sel("zc_total"), "20m")), m(50));
        for (int start = 0; start <= 5; start++) assertClose(0.6, r.get(l("start", start + "m")));
    }

    /**
     * Claude Code's first export of a session: the counter appears inside the window with a value close to one
     * interval's increase. Samples at 100s, 160s, 220s with values 5, 10, 15; increase over (0s, 300s]:
     * result 10 over 120s, average interval 60s (threshold 66s). Since 2.51 the distance to the window start
     * (100s) is first capped at half an interval (30s) and only then compared with the zero point (60s), so
     * 30s wins: factor (120 + 30 + 30) / 120 = 1.5, increase 15. The old order would have given 17.5.
     */
    @Test
    void counterStartingInsideWindowUsesPost251Order() {
        Labels c = l("__name__", "claude_code_token_usage_total");
        db.add(c, s(100), 5).add(c, s(160), 10).add(c, s(220), 15);
        assertClose(15, only(call("increase", matrix(sel("claude_code_token_usage_total"), "5m")), s(300)));
        assertClose(15 / 300.0, only(call("rate", matrix(sel("claude_code_token_usage_total"), "5m")), s(300)));
    }

    @Test
    void zeroPointWinsWhenCloserThanHalfAnInterval() {
        Labels c = l("__name__", "c_total");
        db.add(c, s(100), 1).add(c, s(160), 6).add(c, s(220), 11);
        // zero point 12s before the first sample: factor (120 + 12 + 30) / 120
        assertClose(10 * 162.0 / 120, only(call("increase", matrix(sel("c_total"), "5m")), s(300)));
    }

    @Test
    void deltaIsNotCounterAware() {
        load(l("__name__", "g"), m(1), 10, 5, 0);
        // window (0, 2m] holds the samples at 1m and 2m: -5 over 60s; the 60s gap to the window start is
        // below 1.1 intervals, so it extrapolates all the way: factor (60 + 60) / 60
        assertClose(-10, only(call("delta", matrix(sel("g"), "2m")), m(2)));
        assertClose(-5, only(call("idelta", matrix(sel("g"), "2m")), m(2)));
    }

    @Test
    void irateHandlesResets() {
        load(l("__name__", "c_total"), s(10), 0, 10, 20, 5);
        assertClose(0.5, only(call("irate", matrix(sel("c_total"), "1m")), s(30)), "after a reset the last value is the increase");
        assertClose(1, only(call("irate", matrix(sel("c_total"), "1m")), s(20)));
    }

    private static void assertClose(double want, double got, String msg) {
        assertEquals(want, got, Math.abs(want) * 1e-12, msg);
    }

    @Test
    void rangeQueryMatchesInstantQueriesAtEveryStep() {
        java.util.Random rnd = new java.util.Random(42);
        for (int sidx = 0; sidx < 5; sidx++) {
            Labels lb = l("__name__", "req_total", "i", Integer.toString(sidx));
            double v = rnd.nextInt(100);
            long t = rnd.nextInt(20_000);
            while (t < m(120)) {
                db.add(lb, t, v);
                v = rnd.nextInt(10) == 0 ? rnd.nextInt(5) : v + rnd.nextInt(50); // occasional reset
                t += 10_000 + rnd.nextInt(20_000);
            }
        }
        for (String fn : new String[] {"rate", "increase", "delta", "irate", "idelta", "deriv", "changes", "resets",
                "avg_over_time", "sum_over_time", "max_over_time", "stddev_over_time", "last_over_time"}) {
            tally.promql.ast.Expr e = call(fn, matrix(sel("req_total"), "3m"));
            RangeMatrix r = range(e, m(10), m(110), 37_000);
            for (SeriesPoints p : r.series()) {
                for (int k = 0; k < p.count(); k++) {
                    Map<Labels, Double> inst = vector(e, p.ts()[k]);
                    assertEquals(inst.get(p.labels()), p.vs()[k], fn + " at " + p.ts()[k]);
                }
            }
        }
    }
}
