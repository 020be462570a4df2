package tally.storage.head;

import java.util.function.Consumer;

/**
 * Series id -> series, without boxing the id: 64 lock stripes, each an open-addressing table.
 * Lookups happen on every append, so this avoids ConcurrentHashMap&lt;Long, ...&gt;'s allocation.
 */
final class SeriesById {
    private static final int STRIPES = 64;
    private final Stripe[] stripes = new Stripe[STRIPES];

    SeriesById() {
        for (int i = 0; i < STRIPES; i++) stripes[i] = new Stripe();
    }

    private static int mix(long id) {
        long h = id * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    private Stripe stripe(int h) {
        return stripes[h & (STRIPES - 1)];
    }

    MemSeries get(long id) {
        int h = mix(id);
        Stripe s = stripe(h);
        synchronized (s) {
            return s.get(id, h >>> 6);
        }
    }

    void put(MemSeries series) {
        int h = mix(series.id);
        Stripe s = stripe(h);
        synchronized (s) {
            s.put(series.id, series, h >>> 6);
        }
    }

    /** Maps an extra id to a series whose own id differs (WAL replay of a re-created series). */
    void putAlias(long id, MemSeries series) {
        int h = mix(id);
        Stripe s = stripe(h);
        synchronized (s) {
            s.put(id, series, h >>> 6);
        }
    }

    void removeAlias(long id) {
        remove(id);
    }

    void remove(long id) {
        int h = mix(id);
        Stripe s = stripe(h);
        synchronized (s) {
            s.remove(id, h >>> 6);
        }
    }

    void forEach(Consumer<MemSeries> action) {
        for (Stripe s : stripes) {
            MemSeries[] copy;
            long[] ids;
            synchronized (s) {
                copy = s.values.clone();
                ids = s.keys.clone();
            }
            for (int i = 0; i < copy.length; i++) {
                // skip aliases so each series is visited once
                if (copy[i] != null && copy[i].id == ids[i]) action.accept(copy[i]);
            }
        }
    }

    /** Linear probing with backward-shift deletion, so no tombstones accumulate under churn. */
    private static final class Stripe {
        long[] keys = new long[16];
        MemSeries[] values = new MemSeries[16];
        int size;

        MemSeries get(long id, int h) {
            int mask = keys.length - 1;
            for (int i = h & mask; ; i = (i + 1) & mask) {
                MemSeries v = values[i];
                if (v == null) return null;
                if (keys[i] == id) return v;
            }
        }

        void put(long id, MemSeries v, int h) {
            if ((size + 1) * 4 > keys.length * 3) grow();
            int mask = keys.length - 1;
            for (int i = h & mask; ; i = (i + 1) & mask) {
                if (values[i] == null) {
                    keys[i] = id;
                    values[i] = v;
                    size++;
                    return;
                }
                if (keys[i] == id) {
                    values[i] = v;
                    return;
                }
            }
        }

        void remove(long id, int h) {
            int mask = keys.length - 1;
            int i = h & mask;
            while (values[i] != null && keys[i] != id) i = (i + 1) & mask;
            if (values[i] == null) return;
            values[i] = null;
            size--;
            // shift back following entries whose home slot is at or before the hole
            int hole = i;
            for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
                int home = (mix(keys[j]) >>> 6) & mask;
                boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
                if (movable) {
                    keys[hole] = keys[j];
                    values[hole] = values[j];
                    values[j] = null;
                    hole = j;
                }
            }
        }

        private void grow() {
            long[] oldK = keys;
            MemSeries[] oldV = values;
            keys = new long[oldK.length * 2];
            values = new MemSeries[oldK.length * 2];
            size = 0;
            for (int i = 0; i < oldK.length; i++) if (oldV[i] != null) put(oldK[i], oldV[i], mix(oldK[i]) >>> 6);
        }
    }
}
