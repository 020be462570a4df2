package tally.server.metrics;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** A fixed-bucket histogram (Prometheus classic): per-bucket counts plus sum and count. */
public final class Histogram {
    private final double[] bounds;
    private final LongAdder[] counts; // non-cumulative; the last one is +Inf
    private final DoubleAdder sum = new DoubleAdder();

    Histogram(double[] bounds) {
        this.bounds = bounds;
        this.counts = new LongAdder[bounds.length + 1];
        for (int i = 0; i < counts.length; i++) counts[i] = new LongAdder();
    }

    public void observe(double v) {
        int i = 0;
        while (i < bounds.length && v > bounds[i]) i++;
        counts[i].increment();
        sum.add(v);
    }

    double[] bounds() { return bounds; }

    /** Cumulative count of observations <= bounds[i] (i == bounds.length: all). */
    long cumulative(int i) {
        long c = 0;
        for (int j = 0; j <= i; j++) c += counts[j].sum();
        return c;
    }

    public long count() { return cumulative(bounds.length); }

    public double sum() { return sum.sum(); }
}
