package tally.server.events;

import java.util.Arrays;

/**
 * A set of event sequence numbers (whole numbers >= 0) as sorted, disjoint, non-adjacent ranges. Claude Code numbers
 * every event of a session 0, 1, 2, ... and Tally marks every one it sees, so a session whose exports all arrived is
 * one range however long it runs; batches arriving out of order leave a gap until the missing one comes.
 */
final class SequenceRanges {
    /**
     * Most ranges kept per session. Only a sender skipping sequence numbers on purpose gets near it; past it the lowest
     * range is forgotten (a resend of those oldest events would then count again).
     */
    static final int MAX_RANGES = 1024;

    private long[] r = new long[4]; // lo0, hi0, lo1, hi1, ...
    private int n;

    int size() { return n; }

    long lo(int i) { return r[2 * i]; }

    long hi(int i) { return r[2 * i + 1]; }

    boolean contains(long x) {
        int i = firstEndingAtOrAfter(x);
        return i < n && lo(i) <= x;
    }

    /** Adds [lo, hi]; false when every number was already in the set. */
    boolean add(long lo, long hi) {
        int i = firstEndingAtOrAfter(lo - 1); // the first range that overlaps or touches [lo, hi], if any
        if (i < n && lo(i) <= lo && hi(i) >= hi) return false;
        long nlo = lo, nhi = hi;
        int j = i;
        while (j < n && lo(j) <= hi + 1) {
            nlo = Math.min(nlo, lo(j));
            nhi = Math.max(nhi, hi(j));
            j++;
        }
        replace(i, j, nlo, nhi);
        if (n > MAX_RANGES) replace(0, 1, 0, -1);
        return true;
    }

    /** Replaces ranges [i, j) with [lo, hi] (with nothing when hi < lo). */
    private void replace(int i, int j, long lo, long hi) {
        int insert = hi >= lo ? 1 : 0;
        int newN = n - (j - i) + insert;
        if (2 * newN > r.length) r = Arrays.copyOf(r, Math.max(2 * newN, r.length * 2));
        System.arraycopy(r, 2 * j, r, 2 * (i + insert), 2 * (n - j));
        if (insert == 1) {
            r[2 * i] = lo;
            r[2 * i + 1] = hi;
        }
        n = newN;
    }

    /** Index of the first range whose end is >= x (n when none): ends increase with the index. */
    private int firstEndingAtOrAfter(long x) {
        int a = 0, b = n;
        while (a < b) {
            int m = (a + b) >>> 1;
            if (hi(m) < x) a = m + 1;
            else b = m;
        }
        return a;
    }
}
