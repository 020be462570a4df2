package tally.promql.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RangeFunctionsTest {
    private final double[] out = new double[2];

    /** A window over values sampled every 10s from t=10s, range (0, 10s * (n + 1)]. */
    private static RangeWindow window(double... vs) {
        RangeWindow w = new RangeWindow();
        w.ts = new long[vs.length];
        for (int i = 0; i < vs.length; i++) w.ts[i] = 10_000L * (i + 1);
        w.vs = vs;
        w.from = 0;
        w.to = vs.length;
        w.rangeStartMs = 0;
        w.rangeEndMs = 10_000L * (vs.length + 1);
        w.rangeMs = w.rangeEndMs;
        w.evalTs = w.rangeEndMs;
        return w;
    }

    private double apply(String fn, RangeWindow w) {
        assertTrue(RangeFunctions.lookup(fn).apply(w, out), fn + " produced no value");
        return out[0];
    }

    @Test
    void sumOverTimeUsesCompensatedSummation() {
        assertEquals(10, apply("sum_over_time", window(2, 8, 1e100, -1e100)));
        assertEquals(Double.POSITIVE_INFINITY, apply("sum_over_time", window(1, Double.POSITIVE_INFINITY)));
    }

    @Test
    void avgOverTimeAvoidsOverflow() {
        double big = 9.988465674311579e+307;
        assertEquals(big, apply("avg_over_time", window(big, big)));
        assertEquals(-big, apply("avg_over_time", window(-big, -big, -big)));
        assertEquals(0, apply("avg_over_time", window(-big, big)));
        assertEquals(3, apply("avg_over_time", window(1, 2, 3, 4, 5)));
        assertEquals(Double.POSITIVE_INFINITY, apply("avg_over_time", window(1, 2, 3, 4, Double.POSITIVE_INFINITY)));
        assertTrue(Double.isNaN(apply("avg_over_time", window(1, 2, 3, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY))));
        assertEquals(Double.POSITIVE_INFINITY, apply("avg_over_time", window(Double.POSITIVE_INFINITY, 0, Double.POSITIVE_INFINITY)));
    }

    @Test
    void minMaxOverTimeSkipNaNUnlessAllNaN() {
        assertEquals(1, apply("min_over_time", window(Double.NaN, 3, 1, Double.NaN)));
        assertEquals(3, apply("max_over_time", window(Double.NaN, 3, 1, Double.NaN)));
        assertTrue(Double.isNaN(apply("max_over_time", window(Double.NaN, Double.NaN))));
        assertEquals(30, apply("ts_of_max_over_time", window(1, 2, 3, 2)));
        assertEquals(10, apply("ts_of_min_over_time", window(1, 2, 3, 2)));
    }

    @Test
    void countLastFirstPresent() {
        RangeWindow w = window(4, 5, 6);
        assertEquals(3, apply("count_over_time", w));
        assertEquals(6, apply("last_over_time", w));
        assertEquals(4, apply("first_over_time", w));
        assertEquals(1, apply("present_over_time", w));
        assertEquals(30, apply("ts_of_last_over_time", w));
        assertEquals(10, apply("ts_of_first_over_time", w));
    }

    @Test
    void quantileOverTimeInterpolates() {
        RangeWindow w = window(0, 10, 20, 30, 40);
        w.args[0] = 0.25;
        assertEquals(10, apply("quantile_over_time", w));
        w.args[0] = 0.9;
        assertEquals(36, apply("quantile_over_time", w), 1e-12);
        w.args[0] = 2;
        assertEquals(Double.POSITIVE_INFINITY, apply("quantile_over_time", w));
        w.args[0] = -1;
        assertEquals(Double.NEGATIVE_INFINITY, apply("quantile_over_time", w));
    }

    @Test
    void varianceAndDeviation() {
        assertEquals(1.25, apply("stdvar_over_time", window(1, 2, 3, 4)), 1e-12);
        assertEquals(Math.sqrt(1.25), apply("stddev_over_time", window(1, 2, 3, 4)), 1e-12);
        assertEquals(0, apply("stddev_over_time", window(1.33, 1.33, 1.33)));
        assertEquals(1, apply("mad_over_time", window(1, 2, 3, 4, 100)));
        assertTrue(Double.isNaN(apply("mad_over_time", window(1, Double.NaN, 3))));
    }

    @Test
    void changesAndResets() {
        assertEquals(0, apply("changes", window(Double.NaN, Double.NaN, Double.NaN)));
        assertEquals(2, apply("changes", window(0, Double.NaN, 0)));
        assertEquals(2, apply("resets", window(5, 3, 4, 1, 1)));
    }

    @Test
    void derivAndPredictLinear() {
        RangeWindow w = window(0, 10, 20, 30);
        assertEquals(1, apply("deriv", w), 1e-12);
        w.args[0] = 100; // seconds past the evaluation time (50s, where the line is at 40)
        assertEquals(140, apply("predict_linear", w), 1e-9);
        assertEquals(0, apply("deriv", window(5, 5, 5)));
        assertFalse(RangeFunctions.lookup("deriv").apply(window(5), out), "one sample has no slope");
    }

    @Test
    void rateNeedsTwoSamples() {
        assertFalse(RangeFunctions.lookup("rate").apply(window(5), out));
        assertFalse(RangeFunctions.lookup("irate").apply(window(5), out));
    }

    @Test
    void doubleExponentialSmoothing() {
        RangeWindow w = window(0, 10, 20, 30);
        w.args[0] = 0.5;
        w.args[1] = 0.5;
        // a straight line is followed exactly
        assertEquals(30, apply("double_exponential_smoothing", w), 1e-12);
        w.args[0] = 1;
        assertThrows(IllegalArgumentException.class, () -> RangeFunctions.lookup("double_exponential_smoothing").apply(w, out));
    }

    @Test
    void namePreservation() {
        assertTrue(RangeFunctions.keepsMetricName("last_over_time"));
        assertFalse(RangeFunctions.keepsMetricName("max_over_time"));
    }
}
