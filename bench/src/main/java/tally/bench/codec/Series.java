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

    /** The first {@code n} samples. */
    Series prefix(int n) {
        Series s = new Series(kind, n);
        System.arraycopy(t, 0, s.t, 0, n);
        System.arraycopy(v, 0, s.v, 0, n);
        return s;
    }

    public int size() {
        return t.length;
    }
}
