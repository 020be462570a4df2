package tally.forward;

import java.util.Arrays;

/**
 * WAL series id to what is sent for it: open addressing over primitive ids, so the per-sample lookup on the
 * forwarding path allocates nothing. Only the reader thread touches it.
 */
final class SeriesTable {
    private static final long EMPTY = Long.MIN_VALUE;
    private long[] keys = new long[1024];
    private SeriesRef[] values = new SeriesRef[1024];
    private int size;

    SeriesTable() {
        Arrays.fill(keys, EMPTY);
    }

    SeriesRef get(long id) {
        int mask = keys.length - 1;
        for (int i = mix(id) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == id) return values[i];
            if (k == EMPTY) return null;
        }
    }

    void put(long id, SeriesRef ref) {
        if (size * 2 >= keys.length) grow();
        int mask = keys.length - 1;
        for (int i = mix(id) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == id) {
                values[i] = ref;
                return;
            }
            if (keys[i] == EMPTY) {
                keys[i] = id;
                values[i] = ref;
                size++;
                return;
            }
        }
    }

    /** Removes by backward-shift deletion, so lookups need no tombstones. */
    void remove(long id) {
        int mask = keys.length - 1;
        int i = mix(id) & mask;
        while (keys[i] != id) {
            if (keys[i] == EMPTY) return;
            i = (i + 1) & mask;
        }
        size--;
        int hole = i;
        for (int j = (hole + 1) & mask; keys[j] != EMPTY; j = (j + 1) & mask) {
            int home = mix(keys[j]) & mask;
            // move j into the hole when its home is not in (hole, j] cyclically
            boolean between = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (!between) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        keys[hole] = EMPTY;
        values[hole] = null;
    }

    int size() { return size; }

    private void grow() {
        long[] oldKeys = keys;
        SeriesRef[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new SeriesRef[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) if (oldKeys[i] != EMPTY) put(oldKeys[i], oldValues[i]);
    }

    private static int mix(long id) {
        long h = id * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
