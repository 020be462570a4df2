package tally.promql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tally.promql.engine.Q.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tally.model.Labels;

/** Function calls evaluated through the engine: name handling, per-step scalars, special functions. */
class CallsTest extends EngineTestBase {
    @Test
    void absentTakesLabelsFromEqualityMatchers() {
        assertEquals(Map.of(l("job", "x"), 1.0), vector("absent(nope{job=\"x\", instance=~\"a.*\"})", 0));
        assertEquals(Map.of(Labels.EMPTY, 1.0), vector("absent(nope{job=\"x\", job=\"y\"})", 0));
        db.add(l("__name__", "up", "job", "x"), 0, 1);
        assertTrue(vector("absent(up)", 0).isEmpty());
        assertEquals(Map.of(l("job", "x"), 1.0), vector("absent_over_time(nope{job=\"x\"}[5m])", 0));
        assertTrue(vector("absent_over_time(up[5m])", m(4)).isEmpty());
        assertEquals(1.0, only("absent_over_time(up[5m])", m(5)));
    }

    @Test
    void scalarVectorTime() {
        db.add(l("__name__", "one", "a", "1"), 0, 3);
        assertEquals(3.0, scalar("scalar(one)", 0));
        assertTrue(Double.isNaN(scalar("scalar(nothing)", 0)));
        assertEquals(Map.of(Labels.EMPTY, 4.0), vector("vector(4)", 0));
        assertEquals(60.0, scalar("time()", m(1)));
        assertEquals(Math.PI, scalar("pi()", 0));
    }

    @Test
    void timestampReturnsTheSampleTime() {
        db.add(l("__name__", "m"), s(10), 1);
        assertEquals(Map.of(Labels.EMPTY, 10.0), vector("timestamp(m)", s(40)));
        assertEquals(Map.of(Labels.EMPTY, 40.0), vector("timestamp(m * 1)", s(40)), "of an expression: the evaluation time");
    }

    @Test
    void mathFunctionsDropTheName() {
        db.add(l("__name__", "v", "k", "a"), 0, -2.5).add(l("__name__", "v", "k", "b"), 0, 4);
        assertEquals(Map.of(l("k", "a"), 2.5, l("k", "b"), 4.0), vector("abs(v)", 0));
        assertEquals(Map.of(l("k", "a"), -2.0, l("k", "b"), 4.0), vector("round(v)", 0));
        assertEquals(Map.of(l("k", "a"), -2.5, l("k", "b"), 4.0), vector("round(v, 0.5)", 0));
        assertEquals(Map.of(l("k", "a"), 0.0, l("k", "b"), 3.0), vector("clamp(v, 0, 3)", 0));
        assertTrue(vector("clamp(v, 3, 0)", 0).isEmpty(), "min > max yields nothing");
        assertEquals(Map.of(l("k", "a"), -1.0, l("k", "b"), 1.0), vector("sgn(v)", 0));
        assertEquals(Map.of(l("k", "b"), 2.0), vector("sqrt(v > 0)", 0));
        assertEquals(Map.of(l("__name__", "v", "k", "b"), 4.0), vector("last_over_time(v[1m]) > 0", 0), "last_over_time keeps it");
    }

    @Test
    void dateFunctions() {
        long t = 1709214300_000L; // 2024-02-29T13:45:00Z
        assertEquals(Map.of(Labels.EMPTY, 2.0), vector("month()", t));
        db.add(l("__name__", "ts", "k", "a"), 0, 1709424000);
        assertEquals(Map.of(l("k", "a"), 0.0), vector("day_of_week(ts)", 0));
        assertEquals(Map.of(l("k", "a"), 31.0), vector("days_in_month(ts)", 0));
    }

    @Test
    void labelReplaceAndJoin() {
        db.add(l("__name__", "m", "src", "source-value-10"), 0, 1).add(l("__name__", "m", "src", "source-value-20"), 0, 2);
        Map<Labels, Double> r = vector("label_replace(m, \"dst\", \"v$1\", \"src\", \"source-value-(.*)\")", 0);
        assertEquals(1.0, r.get(l("__name__", "m", "src", "source-value-10", "dst", "v10")), "keeps the name");
        PromQLException e = assertFails(() -> vector("label_replace(m, \"src\", \"x\", \"src\", \".*\")", 0));
        assertEquals("vector cannot contain metrics with the same labelset", e.getMessage());
        r = vector("label_join(m, \"j\", \"/\", \"__name__\", \"src\")", 0);
        assertEquals(2.0, r.get(l("__name__", "m", "src", "source-value-20", "j", "m/source-value-20")));
        assertFails(() -> vector("label_replace(m, \"dst\", \"\", \"src\", \"(.*\")", 0));
    }

    @Test
    void sortFunctionsOrderInstantResults() {
        db.add(l("__name__", "s", "i", "10"), 0, 3).add(l("__name__", "s", "i", "9"), 0, Double.NaN)
                .add(l("__name__", "s", "i", "2"), 0, 1);
        assertEquals(List.of(1.0, 3.0), new ArrayList<>(vector("sort(s)", 0).values()).subList(0, 2));
        List<Labels> byLabel = new ArrayList<>(vector("sort_by_label(s, \"i\")", 0).keySet());
        assertEquals(List.of("2", "9", "10"), List.of(byLabel.get(0).get("i"), byLabel.get(1).get("i"), byLabel.get(2).get("i")));
        List<Double> desc = new ArrayList<>(vector("sort_desc(s)", 0).values());
        assertEquals(3.0, desc.get(0));
        assertTrue(Double.isNaN(desc.get(2)), "NaN sorts last");
        QueryResult r = engine.range(db, q("sort(s)"), 0, m(1), m(1));
        assertEquals(List.of("PromQL warning: sort is ineffective for range queries since results are always ordered by labels"),
                r.warnings());
    }

    @Test
    void histogramQuantileOnClassicBuckets() {
        String[] le = {"0.1", "0.2", "0.4", "1", "+Inf"};
        double[] counts = {10, 20, 30, 40, 40};
        for (int i = 0; i < le.length; i++) {
            db.add(l("__name__", "lat_bucket", "job", "a", "le", le[i]), 0, counts[i]);
            db.add(l("__name__", "lat_bucket", "job", "b", "le", le[i]), 0, 0);
        }
        Map<Labels, Double> r = vector("histogram_quantile(0.5, lat_bucket)", 0);
        assertEquals(0.2, r.get(l("job", "a")), 1e-12);
        assertTrue(Double.isNaN(r.get(l("job", "b"))), "no observations");
        assertEquals(0.2, only("histogram_quantile(0.5, sum by (le) (lat_bucket))", 0), 1e-12);
        assertEquals(0.25, vector("histogram_fraction(0, 0.1, lat_bucket)", 0).get(l("job", "a")), 1e-12);
        QueryResult bad = engine.instant(db, q("histogram_quantile(1.5, lat_bucket)"), 0);
        assertEquals(1, bad.warnings().size());
    }

    @Test
    void overTimeFunctionsAndQuantileWarnings() {
        load(l("__name__", "g"), s(10), 1, 2, 3, 4, 5);
        assertEquals(3.0, only("avg_over_time(g[1m])", s(55)));
        assertEquals(5.0, only("avg_over_time(g[20s])", s(55)));
        assertTrue(vector("avg_over_time(g[10s])", s(55)).isEmpty());
        assertEquals(3.0, only("quantile_over_time(0.5, g[1m])", s(55)));
        assertEquals(1, engine.instant(db, q("quantile_over_time(-1, g[1m])"), s(55)).warnings().size());
        assertEquals(5.0, only("predict_linear(g[1m], 0)", s(40)), 1e-9);
    }

    @Test
    void rateInfoForNonCounterNames() {
        load(l("__name__", "gauge"), s(10), 1, 2, 3);
        QueryResult r = engine.instant(db, q("rate(gauge[1m])"), s(20));
        assertEquals(1, r.infos().size());
        assertTrue(r.infos().get(0).contains("\"gauge\""));
    }
}
