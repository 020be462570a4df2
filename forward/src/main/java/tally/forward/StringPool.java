package tally.forward;

import java.util.HashMap;

/**
 * Shares equal label strings between the series a forwarder keeps: the WAL reader makes new strings for every series
 * record, and a target's series table would otherwise hold its own copy of every user, model and session name.
 * Bounded: cleared when full (the series keep their strings; only sharing with later ones is lost). Reader thread only.
 */
final class StringPool {
    private static final int MAX = 1 << 17;
    private final HashMap<String, String> pool = new HashMap<>();

    String intern(String s) {
        String had = pool.putIfAbsent(s, s);
        if (had != null) return had;
        if (pool.size() > MAX) pool.clear();
        return s;
    }
}
