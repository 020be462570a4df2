package tally.promql.test;

import tally.model.StaleNaN;

/** Float equality of Prometheus's test scripts ({@code util/almost.Equal} with epsilon 1e-6). */
public final class AlmostEqual {
    /** Relative error allowed between an expected and an actual sample value. */
    public static final double EPSILON = 1e-6;
    private static final double MIN_NORMAL = Double.MIN_NORMAL; // 2.2250738585072014e-308

    private AlmostEqual() {}

    public static boolean equal(double a, double b) {
        // A staleness marker is never confused with an ordinary NaN.
        if (StaleNaN.is(a) || StaleNaN.is(b)) return StaleNaN.is(a) && StaleNaN.is(b);
        if (Double.isNaN(a) && Double.isNaN(b)) return true;
        if (a == b) return true;
        double absSum = Math.abs(a) + Math.abs(b);
        double diff = Math.abs(a - b);
        if (a == 0 || b == 0 || absSum < MIN_NORMAL) return diff < EPSILON * MIN_NORMAL;
        return diff / Math.min(absSum, Double.MAX_VALUE) < EPSILON;
    }
}
