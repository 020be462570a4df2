package tally.server.otlp.delta;

import java.util.Arrays;

/**
 * An explicit-bucket histogram stream in delta temporality: running per-bucket counts
 * (non-cumulative, one more than the bounds), count and sum. A change of bucket bounds restarts
 * the running totals from that point (the series then shows a counter reset).
 */
public final class HistogramStream extends Stream {
    private double[] bounds;
    private double[] buckets;
    private double count;
    private double sum;

    HistogramStream(long startNs, long lastTimeNs, double[] bounds, double[] buckets, double count, double sum) {
        super(startNs, lastTimeNs);
        this.bounds = bounds;
        this.buckets = buckets;
        this.count = count;
        this.sum = sum;
    }

    /** Result of adding one delta point: cumulative bucket counts (per bound, then +Inf), count and sum. */
    public record Totals(double[] bounds, double[] cumulativeBuckets, double count, double sum) {}

    /** What the state would be with this delta added (state unchanged until {@link #commit}). */
    public Totals totalsWith(double[] pointBounds, long[] pointBuckets, long pointCount, double pointSum) {
        boolean sameLayout = Arrays.equals(bounds, pointBounds) && buckets.length == pointBuckets.length;
        double[] raw = new double[pointBuckets.length];
        for (int i = 0; i < raw.length; i++) raw[i] = (sameLayout ? buckets[i] : 0) + pointBuckets[i];
        double c = (sameLayout ? count : 0) + pointCount;
        double s = (sameLayout ? sum : 0) + pointSum;
        double[] cum = new double[raw.length];
        double run = 0;
        for (int i = 0; i < raw.length; i++) {
            run += raw[i];
            cum[i] = run;
        }
        return new Totals(pointBounds, cum, c, s);
    }

    public void commit(long startNs, long timeNs, Totals t) {
        accepted(startNs, timeNs);
        bounds = t.bounds();
        double[] cum = t.cumulativeBuckets();
        double[] raw = new double[cum.length];
        for (int i = 0; i < cum.length; i++) raw[i] = cum[i] - (i == 0 ? 0 : cum[i - 1]);
        buckets = raw;
        count = t.count();
        sum = t.sum();
    }
}
