package tally.promql.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tally.promql.engine.Q.*;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tally.model.Labels;
import tally.model.StaleNaN;
import tally.promql.ast.AtModifier;

class SelectorTest extends EngineTestBase {
    @Test
    void lookbackWindowIsLeftOpen() {
        db.add(l("__name__", "m"), s(10), 1);
        assertEquals(Map.of(l("__name__", "m"), 1.0), vector(sel("m"), s(10)));
        assertEquals(1.0, only(sel("m"), s(10) + m(5) - 1));
        assertTrue(vector(sel("m"), s(10) + m(5)).isEmpty(), "a sample exactly 5m old is outside (t-5m, t]");
        assertTrue(vector(sel("m"), s(9)).isEmpty(), "no sample from the future");
    }

    @Test
    void staleMarkerEndsSeriesImmediately() {
        Labels m = l("__name__", "m");
        db.add(m, 0, 0).add(m, s(10), 1).add(m, s(20), StaleNaN.VALUE).add(m, s(30), 2);
        assertEquals(1.0, only(sel("m"), s(15)));
        assertTrue(vector(sel("m"), s(20)).isEmpty());
        assertTrue(vector(sel("m"), s(25)).isEmpty());
        assertEquals(2.0, only(sel("m"), s(30)));
        assertEquals(2.0, only(sel("m"), s(329)));
        assertTrue(vector(sel("m"), s(330)).isEmpty());
    }

    @Test
    void rangeSelectorReturnsRawSamplesWithoutStaleMarkers() {
        Labels m = l("__name__", "m");
        db.add(m, s(10), 1).add(m, s(20), StaleNaN.VALUE).add(m, s(30), 3).add(m, s(40), 4);
        RangeMatrix r = (RangeMatrix) engine.instant(db, matrix(sel("m"), "30s"), s(40)).value();
        assertEquals(1, r.series().size());
        SeriesPoints p = r.series().get(0);
        assertEquals(m, p.labels(), "range selectors keep the name");
        assertArrayEquals(new long[] {s(30), s(40)}, Arrays.copyOf(p.ts(), p.count()), "(10s, 40s]: 10s excluded, stale dropped");
    }

    @Test
    void offsetAndNegativeOffset() {
        Labels m = l("__name__", "m");
        load(m, m(1), 0, 1, 2, 3, 4, 5);
        assertEquals(2.0, only(offset(sel("m"), "3m"), m(5)));
        assertEquals(5.0, only(offset(sel("m"), "-3m"), m(2)));
        RangeMatrix r = (RangeMatrix) engine.instant(db, matrix(offset(sel("m"), "2m"), "2m"), m(5)).value();
        SeriesPoints p = r.series().get(0);
        assertArrayEquals(new long[] {m(2), m(3)}, Arrays.copyOf(p.ts(), p.count()), "offset keeps original timestamps");
    }

    @Test
    void atModifierPinsEvaluationTime() {
        Labels m = l("__name__", "m");
        load(m, m(1), 0, 1, 2, 3, 4, 5);
        assertEquals(2.0, only(at(sel("m"), AtModifier.at(m(2))), m(5)));
        RangeMatrix r = range(at(sel("m"), AtModifier.START), m(1), m(4), m(1));
        SeriesPoints p = r.series().get(0);
        assertArrayEquals(new double[] {1, 1, 1, 1}, Arrays.copyOf(p.vs(), p.count()));
        r = range(at(sel("m"), AtModifier.END), m(1), m(4), m(1));
        p = r.series().get(0);
        assertArrayEquals(new double[] {4, 4, 4, 4}, Arrays.copyOf(p.vs(), p.count()));
    }

    @Test
    void regexAndNegativeMatchers() {
        db.add(l("__name__", "m", "job", "a"), 0, 1).add(l("__name__", "m", "job", "b"), 0, 2)
                .add(l("__name__", "m", "job", "ab"), 0, 3);
        assertEquals(2, vector(sel("m", "job", "~a|b"), 0).size());
        assertEquals(Map.of(l("__name__", "m", "job", "ab"), 3.0), vector(sel("m", "job", "~a.+"), 0));
        assertEquals(2, vector(sel("m", "job", "!a"), 0).size());
    }

    @Test
    void rangeQueryReadsEachSelectorOnce() {
        Labels m = l("__name__", "m");
        for (int i = 0; i < 1000; i++) db.add(m, i * 15_000L, i);
        RangeMatrix r = range(sel("m"), 0, 15_000L * 999, 15_000L);
        assertEquals(1, db.selects);
        assertEquals(1000, r.series().get(0).count());
        for (int i = 0; i < 1000; i++) assertEquals(i, r.series().get(0).vs()[i]);
    }
}
