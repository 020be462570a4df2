package tally.promql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tally.promql.engine.Q.*;

import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BinaryOpsTest extends EngineTestBase {
    @BeforeEach
    void data() {
        db.add(l("__name__", "req", "job", "a", "code", "200"), 0, 10);
        db.add(l("__name__", "req", "job", "a", "code", "500"), 0, 2);
        db.add(l("__name__", "req", "job", "b", "code", "200"), 0, 5);
        db.add(l("__name__", "limit", "job", "a", "team", "x"), 0, 100);
        db.add(l("__name__", "limit", "job", "b", "team", "y"), 0, 50);
    }

    /**
     * With one side empty an instant set operation is the other side or nothing, and arithmetic or comparison is
     * nothing (as Prometheus short-circuits); both sides' series keep their labels and order.
     */
    @Test
    void anEmptySideAnswersWithoutMatching() {
        Map<tally.model.Labels, Double> req = vector("req", 0);
        assertEquals(3, req.size());
        assertEquals(req, vector("req or nothing", 0));
        assertEquals(req, vector("nothing or req", 0));
        assertEquals(req, vector("req unless nothing", 0));
        assertEquals(Map.of(), vector("nothing unless req", 0));
        assertEquals(Map.of(), vector("req and nothing", 0));
        assertEquals(Map.of(), vector("nothing and req", 0));
        for (String op : new String[] {"-", "+", "/", ">", "== bool"}) {
            assertEquals(Map.of(), vector("req " + op + " nothing", 0), op);
            assertEquals(Map.of(), vector("nothing " + op + " on(job) group_left req", 0), op);
        }
        // many-to-many matches on the right fail only when the left side has a sample to match
        assertEquals(Map.of(), vector("nothing + on(job) req", 0));
        assertFails(() -> vector("limit + on(job) req", 0));
        // an empty side within a range query: the same, step by step
        assertEquals(3, range("req or nothing", 0, 120_000, 60_000).series().size());
        assertEquals(0, range("req - nothing", 0, 120_000, 60_000).series().size());
    }

    @Test
    void scalarArithmeticFollowsGo() {
        assertEquals(2.0, scalar("1 + 1", 0));
        assertEquals(-1.0, scalar("-7 % 3 + 0", 0), "math.Mod keeps the dividend's sign");
        assertEquals(Double.POSITIVE_INFINITY, scalar("1 / 0", 0));
        assertTrue(Double.isNaN(scalar("0 / 0", 0)));
        assertEquals(1.0, scalar("1 ^ NaN", 0));
        assertEquals(1.0, scalar("2 > bool 1", 0));
        assertEquals(Math.atan2(1, 2), scalar("1 atan2 2", 0));
    }

    @Test
    void vectorScalarDropsNameForArithmeticOnly() {
        assertEquals(Map.of(l("job", "b", "code", "200"), 10.0), vector("req{job=\"b\"} * 2", 0));
        assertEquals(Map.of(l("__name__", "req", "job", "a", "code", "200"), 10.0), vector("req > 5", 0));
        assertEquals(Map.of(l("job", "a", "code", "500"), 1.0), vector("5 > bool req{code=\"500\"}", 0));
        assertEquals(Map.of(l("__name__", "req", "job", "a", "code", "200"), 10.0), vector("5 < req", 0),
                "scalar on the left: the filter still keeps the vector's value");
    }

    @Test
    void oneToOneMatching() {
        assertEquals(Map.of(l("job", "a"), 0.1, l("job", "b"), 0.1),
                vector("sum by (job) (req{code=\"200\"}) / on(job) limit", 0));
        assertEquals(Map.of(l("job", "b"), 0.1), vector("req{job=\"b\"} / ignoring(code, team) limit", 0),
                "one-to-one ignoring() removes the ignored labels from the result");
    }

    @Test
    void manyToOneWithGroupLeft() {
        Map<tally.model.Labels, Double> r = vector("req / on(job) group_left(team) limit", 0);
        assertEquals(3, r.size());
        assertEquals(0.1, r.get(l("job", "a", "code", "200", "team", "x")));
        assertEquals(0.02, r.get(l("job", "a", "code", "500", "team", "x")));
        assertEquals(0.1, r.get(l("job", "b", "code", "200", "team", "y")));
        Map<tally.model.Labels, Double> right = vector("limit / on(job) group_right(team) req", 0);
        assertEquals(10.0, right.get(l("job", "a", "code", "200", "team", "x")));
    }

    @Test
    void manyToManyIsAnError() {
        PromQLException e = assertFails(() -> vector("req / on(job) limit * 0 + on(job) req", 0));
        assertEquals(ErrorType.EXECUTION, e.type());
        e = assertFails(() -> vector("limit + on(job) req", 0));
        assertTrue(e.getMessage().startsWith("found duplicate series for the match group {job=\"a\"} on the right hand-side"), e.getMessage());
        e = assertFails(() -> vector("req + on(job) limit", 0));
        assertTrue(e.getMessage().startsWith("multiple matches for labels: many-to-one matching must be explicit"), e.getMessage());
    }

    @Test
    void comparisonFilterStillChecksCardinality() {
        PromQLException e = assertFails(() -> vector("req > on(job) limit", 0));
        assertTrue(e.getMessage().contains("many-to-one matching must be explicit"));
    }

    @Test
    void setOperators() {
        assertEquals(2, vector("req and on(job) limit{job=\"a\"}", 0).size());
        assertEquals(Map.of(l("__name__", "req", "job", "b", "code", "200"), 5.0), vector("req unless on(job) limit{job=\"a\"}", 0));
        Map<tally.model.Labels, Double> or = vector("req{job=\"a\"} or limit", 0);
        assertEquals(4, or.size());
        assertEquals(3, vector("req or req{job=\"a\"}", 0).size());
        assertTrue(vector("req and nothing", 0).isEmpty());
    }

    @Test
    void nameDropCollisionIsAnError() {
        db.add(l("__name__", "other", "job", "b", "code", "200"), 0, 1);
        PromQLException e = assertFails(() -> vector("{job=\"b\", code=\"200\"} * 2", 0));
        assertEquals("vector cannot contain metrics with the same labelset", e.getMessage());
        assertEquals(2, vector("{job=\"b\", code=\"200\"} > 0", 0).size(), "filters keep names, so no collision");
    }

    @Test
    void unaryMinusDropsName() {
        assertEquals(Map.of(l("job", "b", "code", "200"), -5.0), vector("-req{job=\"b\"}", 0));
    }
}
