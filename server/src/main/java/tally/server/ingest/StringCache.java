package tally.server.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns UTF-8 byte ranges into Strings, reusing the String when the same bytes were seen recently.
 * Label names and most label values repeat from request to request, so this removes most of the
 * decoder's allocation. Direct-mapped (a collision replaces the entry); not thread-safe.
 */
public final class StringCache {
    private static final int SLOTS = 1 << 13;
    private static final int MAX_CACHED_LENGTH = 96;

    private final byte[][] keys = new byte[SLOTS][];
    private final String[] values = new String[SLOTS];

    public String get(byte[] buf, int off, int len) {
        if (len == 0) return "";
        if (len > MAX_CACHED_LENGTH) return new String(buf, off, len, StandardCharsets.UTF_8);
        int h = 0x811c9dc5;
        for (int i = off, end = off + len; i < end; i++) h = (h ^ buf[i]) * 0x01000193;
        int slot = (h ^ (h >>> 15)) & (SLOTS - 1);
        byte[] k = keys[slot];
        if (k != null && k.length == len && Arrays.equals(k, 0, len, buf, off, off + len)) return values[slot];
        String s = new String(buf, off, len, StandardCharsets.UTF_8);
        keys[slot] = Arrays.copyOfRange(buf, off, off + len);
        values[slot] = s;
        return s;
    }
}
