package tally.bench.load;

import java.util.Arrays;

/** The samples of one series inside one request window, in time order; values are cumulative for counters. */
final class Block {
    final SeriesDef series;
    long[] ts = new long[8];
    double[] values = new double[8];
    int n;

    Block(SeriesDef series) {
        this.series = series;
    }

    void add(long t, double v) {
        if (n == ts.length) {
            ts = Arrays.copyOf(ts, n * 2);
            values = Arrays.copyOf(values, n * 2);
        }
        if (series.startMs < 0) series.startMs = t;
        ts[n] = t;
        values[n++] = v;
    }
}
