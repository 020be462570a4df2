package tally.storage.index;

import java.util.Arrays;

/**
 * Append-only growable int array. Growing copies into a new array, so a reader that captured
 * {@link #array()} and {@link #size()} together keeps a stable view while appends continue.
 */
public final class IntList {
    private int[] a;
    private int size;

    public IntList() { this(4); }

    public IntList(int capacity) { a = new int[Math.max(1, capacity)]; }

    public void add(int v) {
        if (size == a.length) a = Arrays.copyOf(a, a.length * 2);
        a[size++] = v;
    }

    public int get(int i) { return a[i]; }
    public int size() { return size; }
    public int[] array() { return a; }
    public int[] toArray() { return Arrays.copyOf(a, size); }
}
