package tally.forward.wire;

import java.util.Arrays;

/**
 * A remote-write 2.0 symbol table: distinct strings in first-use order, {@code ""} always at 0. Open addressing on
 * the strings' (cached) hash codes; {@link #reset} clears only the slots in use, so a table reused for every request
 * costs nothing per request but its own entries.
 */
final class SymbolTable {
    private static final int KEEP_SYMBOLS = 1 << 16;

    private String[] strings;
    private int size;
    /** slot -> symbol index + 1, 0 = empty */
    private int[] slots;
    private int mask;

    SymbolTable() {
        allocate(1024);
        reset();
    }

    private void allocate(int symbols) {
        strings = new String[symbols];
        int cap = Integer.highestOneBit(symbols * 2 - 1) << 1;
        slots = new int[cap];
        mask = cap - 1;
    }

    int size() { return size; }

    String get(int i) { return strings[i]; }

    /** The symbol's index, adding it when new. */
    int ref(String s) {
        if (s.isEmpty()) return 0;
        int h = spread(s.hashCode()) & mask;
        while (true) {
            int v = slots[h];
            if (v == 0) break;
            String k = strings[v - 1];
            if (k == s || k.equals(s)) return v - 1;
            h = (h + 1) & mask;
        }
        if (size == strings.length) {
            grow();
            return ref(s);
        }
        int i = size++;
        strings[i] = s;
        slots[h] = i + 1;
        return i;
    }

    private static int spread(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private void grow() {
        String[] old = strings;
        int n = size;
        allocate(old.length * 2);
        System.arraycopy(old, 0, strings, 0, n);
        for (int i = 1; i < n; i++) { // "" (0) is never looked up in the table
            int h = spread(strings[i].hashCode()) & mask;
            while (slots[h] != 0) h = (h + 1) & mask;
            slots[h] = i + 1;
        }
    }

    /** Back to {@code [""]}. */
    void reset() {
        if (strings.length > KEEP_SYMBOLS) {
            allocate(1024);
        } else {
            for (int i = 1; i < size; i++) { // clear the slots in use, not the whole table
                int h = spread(strings[i].hashCode()) & mask;
                while (slots[h] != i + 1) h = (h + 1) & mask;
                slots[h] = 0;
            }
            Arrays.fill(strings, 1, Math.max(1, size), null);
        }
        strings[0] = "";
        size = 1;
    }
}
