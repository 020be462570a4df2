package tally.server.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A small JSON writer straight into bytes, formatting numbers the way Prometheus does:
 * sample values as strings in Go's shortest 'f' format ("NaN", "+Inf", "-Inf", "0.1", "1e21"
 * written out in full), timestamps as seconds with up to three decimals.
 */
public final class JsonOut {
    private byte[] buf = new byte[4096];
    private int len;

    public JsonOut raw(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) put((byte) c); else return rawUtf8(s.substring(i));
        }
        return this;
    }

    private JsonOut rawUtf8(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    public JsonOut raw(char c) {
        put((byte) c);
        return this;
    }

    /** A JSON string with escapes. */
    public JsonOut str(String s) {
        put((byte) '"');
        int start = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            String esc = null;
            if (c == '"') esc = "\\\"";
            else if (c == '\\') esc = "\\\\";
            else if (c == '\n') esc = "\\n";
            else if (c == '\r') esc = "\\r";
            else if (c == '\t') esc = "\\t";
            else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) esc = String.format("\\u%04x", (int) c);
            if (esc != null) {
                if (i > start) raw(s.substring(start, i));
                raw(esc);
                start = i + 1;
            }
        }
        if (start < s.length()) raw(start == 0 ? s : s.substring(start));
        put((byte) '"');
        return this;
    }

    /** Milliseconds as Prometheus writes timestamps: 1435781451.781, 1435781451 (no trailing zeros). */
    public JsonOut timestamp(long ms) {
        ensure(24); // sign, 16 digits of seconds (|ms| < 2^63), point, 3 decimals
        if (ms < 0) {
            buf[len++] = '-';
            if (ms == Long.MIN_VALUE) { // -ms overflows; never a real timestamp
                raw(Long.toString(ms).substring(1, 17)).raw('.').raw("808");
                return this;
            }
            ms = -ms;
        }
        long secs = ms / 1000;
        len = FormatFloat.putDigits(secs, FormatFloat.length(secs), buf, len);
        int frac = (int) (ms % 1000);
        if (frac != 0) {
            buf[len++] = '.';
            buf[len++] = (byte) ('0' + frac / 100);
            if (frac % 100 != 0) {
                buf[len++] = (byte) ('0' + frac / 10 % 10);
                if (frac % 10 != 0) buf[len++] = (byte) ('0' + frac % 10);
            }
        }
        return this;
    }

    /** A sample value as a quoted string. */
    public JsonOut value(double v) {
        if (Double.isNaN(v)) return raw("\"NaN\"");
        if (Double.isInfinite(v)) return raw(v > 0 ? "\"+Inf\"" : "\"-Inf\"");
        ensure(FormatFloat.MAX_CHARS + 2);
        buf[len++] = '"';
        len = FormatFloat.write(v, buf, len);
        buf[len++] = '"';
        return this;
    }

    /** Go's strconv.FormatFloat(v, 'f', -1, 64), with Prometheus's spelling of the specials. */
    public static String formatValue(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        return FormatFloat.toString(v);
    }

    public byte[] toBytes() {
        return Arrays.copyOf(buf, len);
    }

    public int size() {
        return len;
    }

    private void put(byte b) {
        if (len == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
        buf[len++] = b;
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }
}
