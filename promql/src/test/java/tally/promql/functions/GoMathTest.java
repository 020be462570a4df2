package tally.promql.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GoMathTest {
    @Test
    void log2IsExactForPowersOfTwo() {
        assertEquals(10, GoMath.log2(1024));
        assertEquals(-3, GoMath.log2(0.125));
        assertEquals(Double.NEGATIVE_INFINITY, GoMath.log2(0));
        assertTrue(Double.isNaN(GoMath.log2(-1)));
        assertEquals(Math.log(3) / Math.log(2), GoMath.log2(3), 1e-15);
        assertEquals(-1074, GoMath.log2(Double.MIN_VALUE));
    }

    @Test
    void powFollowsGoSpecialCases() {
        assertEquals(1, GoMath.pow(1, Double.NaN));
        assertEquals(1, GoMath.pow(-1, Double.POSITIVE_INFINITY));
        assertEquals(1, GoMath.pow(Double.NaN, 0));
        assertEquals(8, GoMath.pow(2, 3));
    }

    @Test
    void parseFloatLikeStrconv() {
        assertEquals(Double.POSITIVE_INFINITY, GoMath.parseFloat("+Inf"));
        assertEquals(Double.NEGATIVE_INFINITY, GoMath.parseFloat("-inf"));
        assertEquals(0.5, GoMath.parseFloat("0.5"));
        assertEquals(16.0, GoMath.parseFloat("0x10"));
        assertEquals(1000.0, GoMath.parseFloat("1e3"));
        assertTrue(Double.isNaN(GoMath.parseFloat("NaN")));
        assertNull(GoMath.parseFloat("1d"));
        assertNull(GoMath.parseFloat("abc"));
        assertNull(GoMath.parseFloat(""));
    }

    @Test
    void mathAndDateFunctions() {
        assertEquals(-1, MathFunctions.lookup("sgn").applyAsDouble(-5));
        assertEquals(0.0, MathFunctions.lookup("sgn").applyAsDouble(0));
        assertEquals(180, MathFunctions.lookup("deg").applyAsDouble(Math.PI), 1e-12);
        assertEquals(3, MathFunctions.round(2.5, 1));
        assertEquals(-2, MathFunctions.round(-2.5, 1));
        assertEquals(1.25, MathFunctions.round(1.2345, 0.25));
        // 2024-02-29T13:45:00Z
        double t = 1709214300;
        assertEquals(2024, DateFunctions.apply("year", t));
        assertEquals(2, DateFunctions.apply("month", t));
        assertEquals(29, DateFunctions.apply("day_of_month", t));
        assertEquals(29, DateFunctions.apply("days_in_month", t));
        assertEquals(60, DateFunctions.apply("day_of_year", t));
        assertEquals(4, DateFunctions.apply("day_of_week", t));
        assertEquals(13, DateFunctions.apply("hour", t));
        assertEquals(45, DateFunctions.apply("minute", t));
        assertEquals(0, DateFunctions.apply("day_of_week", 1709424000), "2024-03-03 is a Sunday");
    }

    @Test
    void quantiles() {
        double[] v = {4, 1, 3, 2};
        assertEquals(2.5, Quantiles.quantile(0.5, v, 4));
        double[] withNaN = {Double.NaN, 1, 2};
        assertTrue(Double.isNaN(Quantiles.quantile(0, withNaN, 3)), "NaN sorts first");
        assertTrue(Double.isNaN(Quantiles.quantile(0.5, new double[0], 0)));
    }

    @Test
    void kahanSumKeepsSmallTerms() {
        double[] c = {0};
        double sum = 0;
        for (double x : new double[] {1e100, 1, -1e100}) sum = KahanSum.add(x, sum, c);
        assertEquals(1, sum + c[0]);
    }
}
