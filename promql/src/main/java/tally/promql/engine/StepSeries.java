package tally.promql.engine;

import java.util.Arrays;
import tally.model.Labels;

/**
 * One series of an intermediate result: points in increasing time order. For instant-vector and scalar
 * expressions the points sit on evaluation steps (a missing step means no sample there).
 */
final class StepSeries {
    Labels labels;
    long[] ts;
    double[] vs;
    int n;

    StepSeries(Labels labels, int capacity) {
        this.labels = labels;
        int cap = Math.max(1, capacity);
        this.ts = new long[cap];
        this.vs = new double[cap];
    }

    /** A series holding exactly the first n points of the given arrays (copied). */
    static StepSeries copyOf(Labels labels, long[] ts, double[] vs, int n) {
        StepSeries s = new StepSeries(labels, 0, Arrays.copyOf(ts, n), Arrays.copyOf(vs, n));
        s.n = n;
        return s;
    }

    private StepSeries(Labels labels, int unused, long[] ts, double[] vs) {
        this.labels = labels;
        this.ts = ts;
        this.vs = vs;
    }

    void add(long t, double v) {
        if (n == ts.length) {
            int cap = n * 2;
            ts = Arrays.copyOf(ts, cap);
            vs = Arrays.copyOf(vs, cap);
        }
        ts[n] = t;
        vs[n] = v;
        n++;
    }

    long lastT() { return n == 0 ? Long.MIN_VALUE : ts[n - 1]; }

    SeriesPoints toPoints() { return new SeriesPoints(labels, ts, vs, n); }
}
