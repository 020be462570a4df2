package tally.promql.engine;

import java.util.Arrays;
import tally.model.SampleIterator;
import tally.model.StaleNaN;
import tally.promql.functions.RangeWindow;

/**
 * Slides a range window over one series' samples, step after step: drops samples that fell out at the left,
 * pulls new ones from the iterator at the right, and seeks when the window jumps past buffered data. The
 * buffer is reused across series; stale markers never enter it.
 */
final class SlidingWindow {
    private long[] ts = new long[64];
    private double[] vs = new double[64];
    /** Running count of drops (a value below its predecessor in the buffer), see {@link RangeWindow#drops}. */
    private int[] drops = new int[64];
    private int head;
    private int tail;
    private SampleIterator it;
    private boolean valid;
    private boolean started;

    void reset(SampleIterator it) {
        this.it = it;
        head = 0;
        tail = 0;
        started = false;
    }

    /** Moves the window to (lo, ref] and points {@code w} at its samples. Returns the number of samples. */
    int advance(long lo, long ref, RangeWindow w) {
        if (!started) {
            valid = it.seek(lo + 1);
            started = true;
        }
        while (head < tail && ts[head] <= lo) head++;
        if (valid && it.atT() <= lo) valid = it.seek(lo + 1);
        while (valid && it.atT() <= ref) {
            double v = it.atV();
            if (!StaleNaN.is(v)) append(it.atT(), v);
            valid = it.next();
        }
        w.ts = ts;
        w.vs = vs;
        w.drops = drops;
        w.from = head;
        w.to = tail;
        return tail - head;
    }

    /** After {@link #advance}: the time of the first sample not yet in the window, or Long.MAX_VALUE. */
    long nextSampleTime() {
        return valid ? it.atT() : Long.MAX_VALUE;
    }

    private void append(long t, double v) {
        if (tail == ts.length) {
            if (head > ts.length / 2) { // mostly consumed: shift left instead of growing
                int n = tail - head;
                System.arraycopy(ts, head, ts, 0, n);
                System.arraycopy(vs, head, vs, 0, n);
                System.arraycopy(drops, head, drops, 0, n);
                head = 0;
                tail = n;
            } else {
                ts = Arrays.copyOf(ts, ts.length * 2);
                vs = Arrays.copyOf(vs, vs.length * 2);
                drops = Arrays.copyOf(drops, drops.length * 2);
            }
        }
        drops[tail] = tail == 0 ? 0 : drops[tail - 1] + (v < vs[tail - 1] ? 1 : 0);
        ts[tail] = t;
        vs[tail] = v;
        tail++;
    }
}
