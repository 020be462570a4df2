package tally.bench.codec;

/** One generated series: timestamps (ms) and values, plus the kind of metric it imitates. */
public final class Series {
    public final String kind;
    public final long[] t;
    public final double[] v;

    Series(String kind, int n) {
        this.kind = kind;
        this.t = new long[n];
        this.v = new double[n];
    }

    public int size() {
        return t.length;
    }
}
