package tally.storage.index;

import java.util.Arrays;

/** Postings over a sorted int array prefix; seek uses binary search. */
final class ArrayPostings implements PostingsIterator {
    private final int[] a;
    private final int n;
    private int i = -1;

    ArrayPostings(int[] a, int n) {
        this.a = a;
        this.n = n;
    }

    @Override
    public boolean next() {
        if (i < n) i++;
        return i < n;
    }

    @Override
    public boolean seek(int target) {
        if (i < 0) i = 0;
        if (i >= n) return false;
        if (a[i] >= target) return true;
        int idx = Arrays.binarySearch(a, i + 1, n, target);
        i = idx >= 0 ? idx : -idx - 1;
        return i < n;
    }

    @Override
    public int at() { return a[i]; }
}
