package tally.server.metrics;

import java.util.concurrent.atomic.DoubleAdder;

/** A monotonically increasing value; contention-free increments. */
public final class Counter {
    private final DoubleAdder value = new DoubleAdder();

    public void inc() { value.add(1); }

    public void add(double n) {
        if (n < 0) throw new IllegalArgumentException("counters only go up");
        value.add(n);
    }

    public double get() { return value.sum(); }
}
