package tally.promql.functions;

/**
 * The samples of one series inside one range window {@code (rangeStartMs, rangeEndMs]}, as seen by a range
 * function at one evaluation step: entries {@code [from, to)} of {@code ts}/{@code vs} (stale markers already
 * removed). Reused across steps and series to avoid allocation.
 */
public final class RangeWindow {
    public long[] ts;
    public double[] vs;
    public int from;
    public int to;
    /**
     * Optional, may be null: running count of drops aligned with {@code vs} ({@code drops[i] - drops[j]} = how
     * many k in (j, i] have vs[k] < vs[k-1]), so counter functions can skip their reset scan when there is none.
     */
    public int[] drops;
    /** Exclusive lower bound of the window: evaluation time minus offset minus range. */
    public long rangeStartMs;
    /** Inclusive upper bound of the window: evaluation time minus offset. */
    public long rangeEndMs;
    public long rangeMs;
    /** The step's evaluation time (before offset); predict_linear predicts from here. */
    public long evalTs;
    /** Scalar arguments at this step, in argument order without the range argument. */
    public final double[] args = new double[2];
    /** Scratch space for functions that sort. */
    public double[] scratch = new double[16];

    public int count() { return to - from; }

    /** Whether some sample in the window is lower than its predecessor (a counter reset). */
    public boolean mayHaveDrop() {
        return drops == null || drops[to - 1] != drops[from];
    }

    double[] scratch(int n) {
        if (scratch.length < n) scratch = new double[Math.max(n, scratch.length * 2)];
        return scratch;
    }
}
