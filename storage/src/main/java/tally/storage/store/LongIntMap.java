package tally.storage.store;

import java.util.Arrays;

/** Open-addressing map from long keys to non-negative ints (sealing scratch: no boxing for millions of entries). */
final class LongIntMap {
    private long[] keys;
    private int[] values; // -1 = empty slot
    private int size;
    private int mask;

    /** A map that holds {@code expected} entries without growing (at most half full: short probe runs). */
    LongIntMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[cap];
        values = new int[cap];
        Arrays.fill(values, -1);
        mask = cap - 1;
    }

    /** The value of key, or -1. */
    int get(long key) {
        for (int i = slot(key); ; i = (i + 1) & mask) {
            int v = values[i];
            if (v < 0) return -1;
            if (keys[i] == key) return v;
        }
    }

    /** Sets key to value (value >= 0). */
    void put(long key, int value) {
        if (size * 2 > keys.length - 2) grow();
        for (int i = slot(key); ; i = (i + 1) & mask) {
            if (values[i] < 0) {
                keys[i] = key;
                values[i] = value;
                size++;
                return;
            }
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
        }
    }

    int size() { return size; }

    /** Empties the map, keeping its capacity (scratch reused from one sealing segment to the next). */
    void clear() {
        Arrays.fill(values, -1);
        size = 0;
    }

    /** Slots of the backing arrays, for iteration with {@link #keyAt} / {@link #valueAt} (valueAt < 0: empty). */
    int capacity() { return keys.length; }

    long keyAt(int slot) { return keys[slot]; }

    int valueAt(int slot) { return values[slot]; }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void grow() {
        long[] ok = keys;
        int[] ov = values;
        keys = new long[ok.length * 2];
        values = new int[ok.length * 2];
        Arrays.fill(values, -1);
        mask = keys.length - 1;
        size = 0;
        for (int i = 0; i < ok.length; i++) {
            if (ov[i] >= 0) put(ok[i], ov[i]);
        }
    }
}
