package tally.promql.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tally.model.StaleNaN;

class GoNumbersTest {
    @Test
    void parsesScalarLinesLikeGo() {
        assertEquals(2.0, GoNumbers.parseScalar("2"));
        assertEquals(-0.2, GoNumbers.parseScalar("-0.2"));
        assertEquals(5.0, GoNumbers.parseScalar("0x5"));
        assertEquals(8.0, GoNumbers.parseScalar("010")); // ParseInt base 0: octal
        assertEquals(1000.0, GoNumbers.parseScalar("1e3"));
        assertEquals(Double.POSITIVE_INFINITY, GoNumbers.parseScalar("+Inf"));
        assertEquals(Double.NEGATIVE_INFINITY, GoNumbers.parseScalar("-inf"));
        assertTrue(Double.isNaN(GoNumbers.parseScalar("NaN")));
        assertEquals(0.25, GoNumbers.parseScalar("0x1p-2"));
    }

    @Test
    void seriesLinesAreNotScalars() {
        assertNull(GoNumbers.parseScalar("{} 3"));
        assertNull(GoNumbers.parseScalar("foo 3"));
        assertNull(GoNumbers.parseScalar("3 4"));
        assertNull(GoNumbers.parseScalar(""));
    }

    @Test
    void formatsLikeGo() {
        assertEquals("3", GoNumbers.format(3));
        assertEquals("0.5", GoNumbers.format(0.5));
        assertEquals("-0", GoNumbers.format(-0.0));
        assertEquals("1e+21", GoNumbers.format(1e21));
        assertEquals("1.5e-07", GoNumbers.format(1.5e-7));
        assertEquals("+Inf", GoNumbers.format(Double.POSITIVE_INFINITY));
        assertEquals("NaN", GoNumbers.format(Double.NaN));
        assertEquals("stale", GoNumbers.format(StaleNaN.VALUE));
    }

    @Test
    void almostEqualFollowsPrometheusTolerance() {
        assertTrue(AlmostEqual.equal(Double.NaN, Double.NaN));
        assertTrue(AlmostEqual.equal(1.0, 1.0 + 1e-9));
        assertFalse(AlmostEqual.equal(1.0, 1.00001));
        assertTrue(AlmostEqual.equal(0.0, -0.0));
        assertFalse(AlmostEqual.equal(0.0, 1e-300)); // against zero only a denormal-sized difference passes
        assertTrue(AlmostEqual.equal(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY));
        assertFalse(AlmostEqual.equal(Double.POSITIVE_INFINITY, Double.MAX_VALUE));
        assertFalse(AlmostEqual.equal(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
        assertFalse(AlmostEqual.equal(StaleNaN.VALUE, Double.NaN));
        assertTrue(AlmostEqual.equal(StaleNaN.VALUE, StaleNaN.VALUE));
    }
}
