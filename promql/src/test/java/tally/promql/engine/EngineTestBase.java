package tally.promql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.LinkedHashMap;
import java.util.Map;
import tally.model.Labels;
import tally.promql.ast.Expr;

/** Shared helpers: an in-memory database, an engine with default options, result extraction. */
abstract class EngineTestBase {
    final MemoryQueryable db = new MemoryQueryable();
    Engine engine = new Engine(EngineOptions.defaults());

    /** Loads values at 0, step, 2*step, ... ; NaN entries in {@code skip} positions are written as given. */
    void load(Labels l, long step, double... vs) {
        db.series(l, 0, step, vs);
    }

    static Expr q(String promql) {
        return tally.promql.parser.PromQLParser.parseExpr(promql);
    }

    Map<Labels, Double> vector(String promql, long t) { return vector(q(promql), t); }

    double only(String promql, long t) { return only(q(promql), t); }

    double scalar(String promql, long t) { return scalar(q(promql), t); }

    RangeMatrix range(String promql, long start, long end, long step) { return range(q(promql), start, end, step); }

    Map<Labels, Double> vector(Expr e, long t) {
        Value v = engine.instant(db, e, t).value();
        if (!(v instanceof InstantVector iv)) throw new AssertionError("not a vector: " + v);
        Map<Labels, Double> out = new LinkedHashMap<>();
        for (Sample s : iv.samples()) {
            assertEquals(t, s.t());
            if (out.put(s.labels(), s.v()) != null) fail("duplicate labels " + s.labels());
        }
        return out;
    }

    double scalar(Expr e, long t) {
        Value v = engine.instant(db, e, t).value();
        if (!(v instanceof Scalar s)) throw new AssertionError("not a scalar: " + v);
        return s.v();
    }

    RangeMatrix range(Expr e, long start, long end, long step) {
        return (RangeMatrix) engine.range(db, e, start, end, step).value();
    }

    /** The single value of a one-element vector result. */
    double only(Expr e, long t) {
        Map<Labels, Double> v = vector(e, t);
        assertEquals(1, v.size(), "expected one sample, got " + v);
        return v.values().iterator().next();
    }

    static void assertClose(double want, double got) {
        if (Double.isNaN(want)) {
            assertTrue(Double.isNaN(got), "expected NaN, got " + got);
            return;
        }
        if (want == got) return;
        assertTrue(Math.abs(want - got) <= 1e-9 * Math.max(Math.abs(want), Math.abs(got)),
                "expected " + want + " got " + got);
    }

    static PromQLException assertFails(Runnable r) {
        try {
            r.run();
        } catch (PromQLException e) {
            return e;
        }
        throw new AssertionError("expected a PromQLException");
    }
}
