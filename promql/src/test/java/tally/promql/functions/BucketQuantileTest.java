package tally.promql.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BucketQuantileTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    private static double q(double q, double[] bounds, double[] counts) {
        return BucketQuantile.quantile(q, bounds.clone(), counts.clone(), bounds.length, null);
    }

    @Test
    void interpolatesInsideTheBucket() {
        double[] b = {0.1, 0.2, 0.4, 1, INF};
        double[] c = {10, 20, 30, 40, 40};
        assertEquals(0.2, q(0.5, b, c), 1e-12);
        assertEquals(0.1, q(0.25, b, c), 1e-12);
        assertEquals(0.05, q(0.125, b, c), 1e-12);
        assertEquals(0.4 + 0.6 * 0.5, q(0.875, b, c), 1e-12);
    }

    @Test
    void rankInTheInfBucketGivesTheHighestFiniteBound() {
        double[] b = {1, 2, INF};
        double[] c = {1, 2, 10};
        assertEquals(2, q(0.9, b, c));
    }

    @Test
    void specialCases() {
        double[] b = {1, 2, INF};
        double[] c = {1, 2, 10};
        assertTrue(Double.isNaN(q(Double.NaN, b, c)));
        assertEquals(Double.NEGATIVE_INFINITY, q(-0.1, b, c));
        assertEquals(INF, q(1.1, b, c));
        assertTrue(Double.isNaN(q(0.5, new double[] {1, 2}, new double[] {1, 2})), "no +Inf bucket");
        assertTrue(Double.isNaN(q(0.5, new double[] {INF}, new double[] {5})), "fewer than two buckets");
        assertTrue(Double.isNaN(q(0.5, b, new double[] {0, 0, 0})), "no observations");
        assertEquals(-1, q(0.1, new double[] {-1, 0, INF}, new double[] {5, 8, 10}), "first bucket with a bound <= 0");
    }

    @Test
    void unsortedBucketsAndDuplicateBoundsAreHandled() {
        double[] b = {INF, 0.2, 0.1, 0.1};
        double[] c = {40, 20, 4, 6};
        assertEquals(0.2, q(0.5, b, c), 1e-12);
    }

    @Test
    void nonMonotonicCountsAreFixed() {
        double[] b = {1, 2, 3, INF};
        double[] c = {10, 5, 20, 20};
        boolean[] forced = new boolean[1];
        double r = BucketQuantile.quantile(0.5, b, c, 4, forced);
        assertTrue(forced[0]);
        assertEquals(1.0, r, 1e-12);
    }

    @Test
    void fraction() {
        double[] b = {1, 2, 4, INF};
        double[] c = {10, 20, 40, 40};
        assertEquals(0.25, BucketQuantile.fraction(0, 1, b.clone(), c.clone(), 4), 1e-12);
        assertEquals(0.5, BucketQuantile.fraction(1, 3, b.clone(), c.clone(), 4), 1e-12);
        assertEquals(1, BucketQuantile.fraction(Double.NEGATIVE_INFINITY, INF, b.clone(), c.clone(), 4), 1e-12);
        assertEquals(0, BucketQuantile.fraction(3, 1, b.clone(), c.clone(), 4));
    }
}
