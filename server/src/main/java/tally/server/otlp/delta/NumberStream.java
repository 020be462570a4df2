package tally.server.otlp.delta;

/** A Sum stream in delta temporality: the running total of all deltas accepted so far. */
public final class NumberStream extends Stream {
    private double total;

    NumberStream(long startNs, long lastTimeNs, double total) {
        super(startNs, lastTimeNs);
        this.total = total;
    }

    /** The cumulative value this delta would produce (does not change the state). */
    public double totalWith(double delta) {
        return total + delta;
    }

    /** Records that the delta was appended, as {@code newTotal} at {@code timeNs}. */
    public void commit(long startNs, long timeNs, double newTotal) {
        accepted(startNs, timeNs);
        total = newTotal;
    }

    public double total() { return total; }
}
