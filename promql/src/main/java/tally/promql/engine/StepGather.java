package tally.promql.engine;

import java.util.List;

/**
 * Walks a list of step-aligned series one evaluation step at a time, yielding which series have a point at
 * that step and its value: the instant vector at that step, without building sample objects.
 */
final class StepGather {
    final List<StepSeries> series;
    private final int[] pos;
    /** Indexes into {@link #series} of the series present at the current step. */
    final int[] idx;
    final double[] val;
    int count;

    StepGather(List<StepSeries> series) {
        this.series = series;
        this.pos = new int[series.size()];
        this.idx = new int[series.size()];
        this.val = new double[series.size()];
    }

    /** Steps must be visited in increasing time order. */
    void gather(long t) {
        int c = 0;
        for (int i = 0, n = series.size(); i < n; i++) {
            StepSeries s = series.get(i);
            int p = pos[i];
            while (p < s.n && s.ts[p] < t) p++; // defensive: points off the grid are skipped
            if (p < s.n && s.ts[p] == t) {
                idx[c] = i;
                val[c] = s.vs[p];
                c++;
                p++;
            }
            pos[i] = p;
        }
        count = c;
    }
}
