package tally.storage.index;

import java.util.HashMap;

/**
 * Maps equal strings to one instance for the duration of one query. Sealed blocks each decode their own
 * value strings; once every block's label values go through one canon, equal labels are the same instances,
 * so comparing or hashing label sets of different blocks needs identity checks and cached String hashes
 * instead of character loops.
 */
public final class StringCanon {
    private final HashMap<String, String> strings = new HashMap<>();

    public String canonical(String s) {
        String c = strings.putIfAbsent(s, s);
        return c == null ? s : c;
    }
}
