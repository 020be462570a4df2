package tally.promql.engine;

import java.util.Arrays;
import java.util.List;

/**
 * Walks a list of step-aligned series one evaluation step at a time, yielding which series have a point at
 * that step and its value: the instant vector at that step, without building sample objects.
 *
 * <p>Only series whose points have begun and not yet ended are visited: with many short-lived series (one
 * per session) over a long range, a step costs the live series, not all of them. Present series are still
 * reported in input order, which aggregations rely on (float summation order).
 */
final class StepGather {
    final List<StepSeries> series;
    private final int[] pos;
    /** Indexes into {@link #series} of the series present at the current step, in increasing order. */
    final int[] idx;
    final double[] val;
    int count;
    /** Non-empty series by first point time; {@link #nextStart} is the first not yet live. */
    private final int[] byStart;
    private int nextStart;
    /** Live series (started, points left), in increasing index order. */
    private final int[] live;
    private int liveCount;

    StepGather(List<StepSeries> series) {
        this.series = series;
        int n = series.size();
        this.pos = new int[n];
        this.idx = new int[n];
        this.val = new double[n];
        this.live = new int[n];
        this.byStart = orderByStart(series);
    }

    /** Steps must be visited in increasing time order. */
    void gather(long t) {
        while (nextStart < byStart.length && series.get(byStart[nextStart]).ts[0] <= t) {
            insertLive(byStart[nextStart++]);
        }
        int c = 0;
        int keep = 0;
        for (int k = 0; k < liveCount; k++) {
            int i = live[k];
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
            if (p < s.n) live[keep++] = i;
        }
        liveCount = keep;
        count = c;
    }

    /** Keeps {@link #live} sorted; series usually start in index order, so this is mostly an append. */
    private void insertLive(int i) {
        int at = liveCount;
        if (at > 0 && live[at - 1] > i) {
            at = Arrays.binarySearch(live, 0, liveCount, i);
            at = at < 0 ? -at - 1 : at;
            System.arraycopy(live, at, live, at + 1, liveCount - at);
        }
        live[at] = i;
        liveCount++;
    }

    /** Indexes of the non-empty series sorted by first point time, ties by index. */
    private static int[] orderByStart(List<StepSeries> series) {
        int n = series.size();
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        int nonEmpty = 0;
        for (StepSeries s : series) {
            if (s.n == 0) continue;
            nonEmpty++;
            min = Math.min(min, s.ts[0]);
            max = Math.max(max, s.ts[0]);
        }
        int[] out = new int[nonEmpty];
        if (nonEmpty == 0) return out;
        // pack (start - min, index) into one long so a primitive sort does it without boxing
        int indexBits = 64 - Long.numberOfLeadingZeros(Math.max(1, n - 1));
        if (max - min >= 0 && (max - min) < (1L << (62 - indexBits))) {
            long[] keys = new long[nonEmpty];
            int k = 0;
            for (int i = 0; i < n; i++) {
                StepSeries s = series.get(i);
                if (s.n > 0) keys[k++] = ((s.ts[0] - min) << indexBits) | i;
            }
            Arrays.sort(keys);
            long mask = (1L << indexBits) - 1;
            for (int j = 0; j < nonEmpty; j++) out[j] = (int) (keys[j] & mask);
            return out;
        }
        Integer[] boxed = new Integer[nonEmpty];
        int k = 0;
        for (int i = 0; i < n; i++) if (series.get(i).n > 0) boxed[k++] = i;
        Arrays.sort(boxed, (a, b) -> {
            int c = Long.compare(series.get(a).ts[0], series.get(b).ts[0]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        for (int j = 0; j < nonEmpty; j++) out[j] = boxed[j];
        return out;
    }
}
