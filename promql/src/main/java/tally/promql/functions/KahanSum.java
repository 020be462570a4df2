package tally.promql.functions;

/**
 * Neumaier-compensated summation as Prometheus does it: a running sum and a separate compensation term.
 * Callers keep both in locals; {@link #add} returns the new sum and stores the new compensation in {@code c[0]}.
 */
public final class KahanSum {
    private KahanSum() {}

    /** Adds {@code inc} to {@code sum} with compensation {@code c[0]}; returns the new sum, updates c[0]. */
    public static double add(double inc, double sum, double[] c) {
        double t = sum + inc;
        if (Double.isInfinite(t)) {
            c[0] = 0; // compensation is meaningless once the sum overflowed
        } else if (Math.abs(sum) >= Math.abs(inc)) {
            c[0] += (sum - t) + inc;
        } else {
            c[0] += (inc - t) + sum;
        }
        return t;
    }
}
