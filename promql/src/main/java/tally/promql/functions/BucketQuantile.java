package tally.promql.functions;

/**
 * {@code histogram_quantile} over classic buckets (upper bound {@code le}, cumulative count), following
 * Prometheus: buckets sorted by bound, equal bounds merged, counts forced monotonic (ignoring relative
 * differences below 1e-12), linear interpolation inside the bucket holding the rank.
 */
public final class BucketQuantile {
    private static final double SMALL_DELTA_TOLERANCE = 1e-12;
    private static final double MIN_NORMAL = Double.MIN_NORMAL;

    private BucketQuantile() {}

    /**
     * @param bounds upper bounds of {@code n} buckets, any order (sorted in place together with counts)
     * @param counts cumulative counts (modified in place)
     * @return the quantile; flags[0] set when monotonicity had to be forced
     */
    public static double quantile(double q, double[] bounds, double[] counts, int n, boolean[] forcedMonotonic) {
        if (Double.isNaN(q)) return Double.NaN;
        if (q < 0) return Double.NEGATIVE_INFINITY;
        if (q > 1) return Double.POSITIVE_INFINITY;
        sortByBound(bounds, counts, n);
        if (bounds[n - 1] != Double.POSITIVE_INFINITY) return Double.NaN;
        n = coalesce(bounds, counts, n);
        boolean forced = ensureMonotonic(counts, n);
        if (forcedMonotonic != null) forcedMonotonic[0] = forced;
        if (n < 2) return Double.NaN;
        double observations = counts[n - 1];
        if (observations == 0) return Double.NaN;
        double rank = q * observations;
        // first bucket among [0, n-1) whose count >= rank (binary search, as sort.Search)
        int lo = 0, hi = n - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (counts[mid] >= rank) hi = mid; else lo = mid + 1;
        }
        int b = lo;
        if (b == n - 1) return bounds[n - 2];
        if (b == 0 && bounds[0] <= 0) return bounds[0];
        double bucketStart = 0;
        double bucketEnd = bounds[b];
        double count = counts[b];
        if (b > 0) {
            bucketStart = bounds[b - 1];
            count -= counts[b - 1];
            rank -= counts[b - 1];
        }
        return bucketStart + (bucketEnd - bucketStart) * (rank / count);
    }

    /** {@code histogram_fraction(lower, upper)} over classic buckets. */
    public static double fraction(double lower, double upper, double[] bounds, double[] counts, int n) {
        sortByBound(bounds, counts, n);
        if (bounds[n - 1] != Double.POSITIVE_INFINITY) return Double.NaN;
        n = coalesce(bounds, counts, n);
        double count = counts[n - 1];
        if (count == 0 || Double.isNaN(lower) || Double.isNaN(upper)) return Double.NaN;
        if (lower >= upper) return 0;
        double rank = 0, lowerRank = 0, upperRank = 0;
        boolean lowerSet = false, upperSet = false;
        double lowerBound = bounds[0] <= 0 ? Double.NEGATIVE_INFINITY : 0;
        for (int i = 0; i < n; i++) {
            if (i > 0) lowerBound = bounds[i - 1];
            double upperBound = bounds[i];
            if (!lowerSet && lowerBound >= lower) {
                lowerRank = rank;
                lowerSet = true;
            }
            if (!upperSet && lowerBound >= upper) {
                upperRank = rank;
                upperSet = true;
            }
            if (lowerSet && upperSet) break;
            if (!lowerSet && lowerBound < lower && upperBound > lower) {
                lowerRank = interpolate(lower, lowerBound, upperBound, rank, counts[i]);
                lowerSet = true;
            }
            if (!upperSet && lowerBound < upper && upperBound > upper) {
                upperRank = interpolate(upper, lowerBound, upperBound, rank, counts[i]);
                upperSet = true;
            }
            if (lowerSet && upperSet) break;
            rank = counts[i];
        }
        if (!lowerSet || lowerRank > count) lowerRank = count;
        if (!upperSet || upperRank > count) upperRank = count;
        return (upperRank - lowerRank) / count;
    }

    private static double interpolate(double v, double lowerBound, double upperBound, double rank, double bucketCount) {
        // no meaningful interpolation inside a bucket reaching -Inf: count it whole (+Inf works out by itself)
        if (lowerBound == Double.NEGATIVE_INFINITY) return bucketCount;
        return rank + (bucketCount - rank) * (v - lowerBound) / (upperBound - lowerBound);
    }

    private static void sortByBound(double[] bounds, double[] counts, int n) {
        for (int i = 1; i < n; i++) { // insertion sort: stable, and bucket lists are short
            double b = bounds[i], c = counts[i];
            int j = i - 1;
            while (j >= 0 && bounds[j] > b) {
                bounds[j + 1] = bounds[j];
                counts[j + 1] = counts[j];
                j--;
            }
            bounds[j + 1] = b;
            counts[j + 1] = c;
        }
    }

    private static int coalesce(double[] bounds, double[] counts, int n) {
        int i = 0;
        double lastBound = bounds[0], lastCount = counts[0];
        for (int k = 1; k < n; k++) {
            if (bounds[k] == lastBound) {
                lastCount += counts[k];
            } else {
                bounds[i] = lastBound;
                counts[i] = lastCount;
                i++;
                lastBound = bounds[k];
                lastCount = counts[k];
            }
        }
        bounds[i] = lastBound;
        counts[i] = lastCount;
        return i + 1;
    }

    private static boolean ensureMonotonic(double[] counts, int n) {
        boolean forced = false;
        double prev = counts[0];
        for (int i = 1; i < n; i++) {
            double curr = counts[i];
            if (curr == prev) continue;
            if (almostEqual(prev, curr, SMALL_DELTA_TOLERANCE)) {
                counts[i] = prev;
                continue;
            }
            if (curr < prev) {
                counts[i] = prev;
                forced = true;
                continue;
            }
            prev = curr;
        }
        return forced;
    }

    static boolean almostEqual(double a, double b, double epsilon) {
        if (Double.isNaN(a) && Double.isNaN(b)) return true;
        if (a == b) return true;
        double absSum = Math.abs(a) + Math.abs(b);
        double diff = Math.abs(a - b);
        if (a == 0 || b == 0 || absSum < MIN_NORMAL) return diff < epsilon * MIN_NORMAL;
        return diff / Math.min(absSum, Double.MAX_VALUE) < epsilon;
    }
}
