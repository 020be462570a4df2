package tally.promql.functions;

import java.util.Arrays;

/** The φ-quantile of a set of values, interpolating between neighbours (Prometheus's {@code quantile}). */
public final class Quantiles {
    private Quantiles() {}

    /** Sorts {@code values[0..n)} in place (NaN first, as Go's sort of floats puts them) and interpolates. */
    public static double quantile(double q, double[] values, int n) {
        if (n == 0 || Double.isNaN(q)) return Double.NaN;
        if (q < 0) return Double.NEGATIVE_INFINITY;
        if (q > 1) return Double.POSITIVE_INFINITY;
        sortNaNFirst(values, n);
        double rank = q * (n - 1);
        double lower = Math.max(0, Math.floor(rank));
        double upper = Math.min(n - 1, lower + 1);
        double weight = rank - Math.floor(rank);
        return values[(int) lower] * (1 - weight) + values[(int) upper] * weight;
    }

    /** Prometheus orders samples with NaN as smallest; Java's sort puts NaN last, so move them to the front. */
    static void sortNaNFirst(double[] values, int n) {
        Arrays.sort(values, 0, n);
        int nans = 0;
        while (nans < n && Double.isNaN(values[n - 1 - nans])) nans++;
        if (nans == 0) return;
        System.arraycopy(values, 0, values, nans, n - nans);
        Arrays.fill(values, 0, nans, Double.NaN);
    }
}
