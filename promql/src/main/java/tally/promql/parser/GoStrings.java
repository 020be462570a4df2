package tally.promql.parser;

/** Unquotes PromQL string literals the way Go's strconv.Unquote does ("..." and '...' with escapes, `raw`). */
final class GoStrings {
    private GoStrings() {}

    /** @throws IllegalArgumentException with a Prometheus-like message for a bad escape */
    static String unquote(String quoted) {
        char q = quoted.charAt(0);
        String body = quoted.substring(1, quoted.length() - 1);
        if (q == '`') return body;
        if (body.indexOf('\\') < 0) return body;
        StringBuilder sb = new StringBuilder(body.length());
        // Bytes from \x and octal escapes are collected and decoded as UTF-8, like Go strings.
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (c != '\\') {
                flush(bytes, sb);
                sb.append(c);
                i++;
                continue;
            }
            if (i + 1 >= body.length()) throw new IllegalArgumentException("escape sequence not terminated");
            char e = body.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'a' -> append(bytes, sb, 0x07);
                case 'b' -> append(bytes, sb, 0x08);
                case 'f' -> append(bytes, sb, 0x0c);
                case 'n' -> append(bytes, sb, '\n');
                case 'r' -> append(bytes, sb, '\r');
                case 't' -> append(bytes, sb, '\t');
                case 'v' -> append(bytes, sb, 0x0b);
                case '\\' -> append(bytes, sb, '\\');
                case '"', '\'' -> {
                    if (e != q) throw new IllegalArgumentException("unknown escape sequence " + describeRune(e));
                    append(bytes, sb, e);
                }
                case 'x' -> {
                    bytes.write(hex(body, i, 2));
                    i += 2;
                }
                case 'u', 'U' -> {
                    int n = e == 'u' ? 4 : 8;
                    int cp = hex(body, i, n);
                    if (cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000)) throw new IllegalArgumentException("escape sequence is invalid Unicode code point");
                    flush(bytes, sb);
                    sb.appendCodePoint(cp);
                    i += n;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        if (i + 2 > body.length()) throw new IllegalArgumentException("escape sequence not terminated");
                        int v = 0;
                        for (int k = i - 1; k < i + 2; k++) {
                            char d = body.charAt(k);
                            if (d < '0' || d > '7') throw new IllegalArgumentException("invalid syntax");
                            v = v * 8 + (d - '0');
                        }
                        if (v > 255) throw new IllegalArgumentException("octal escape value > 255: " + v);
                        bytes.write(v);
                        i += 2;
                    } else {
                        throw new IllegalArgumentException("unknown escape sequence " + describeRune(e));
                    }
                }
            }
        }
        flush(bytes, sb);
        return sb.toString();
    }

    private static void append(java.io.ByteArrayOutputStream bytes, StringBuilder sb, int c) {
        flush(bytes, sb);
        sb.append((char) c);
    }

    /**
     * Decodes escaped bytes as UTF-8. A byte that is not part of valid UTF-8 (Go keeps it as is) becomes
     * the lone surrogate U+DC00+byte, so later checks can still see the string is not valid UTF-8 and
     * error messages can print it back as \xNN.
     */
    private static void flush(java.io.ByteArrayOutputStream bytes, StringBuilder sb) {
        if (bytes.size() == 0) return;
        byte[] b = bytes.toByteArray();
        bytes.reset();
        int i = 0;
        while (i < b.length) {
            int len = validSequenceLength(b, i);
            if (len == 0) {
                sb.append((char) (0xDC00 + (b[i] & 0xFF)));
                i++;
            } else {
                sb.append(new String(b, i, len, java.nio.charset.StandardCharsets.UTF_8));
                i += len;
            }
        }
    }

    /** Length of the valid UTF-8 sequence starting at {@code i}, or 0 when it is malformed. */
    private static int validSequenceLength(byte[] b, int i) {
        int c = b[i] & 0xFF;
        int len;
        int min;
        if (c < 0x80) return 1;
        if (c >= 0xC2 && c <= 0xDF) { len = 2; min = 0x80; }
        else if (c >= 0xE0 && c <= 0xEF) { len = 3; min = 0x800; }
        else if (c >= 0xF0 && c <= 0xF4) { len = 4; min = 0x10000; }
        else return 0;
        if (i + len > b.length) return 0;
        int cp = c & (0x3F >> (len - 1));
        for (int k = 1; k < len; k++) {
            int cc = b[i + k] & 0xFF;
            if ((cc & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
        return len;
    }

    /** Go's %U %q of a rune: U+0063 'c'. */
    private static String describeRune(char c) {
        return String.format("U+%04X '%c'", (int) c, c);
    }

    private static int hex(String s, int from, int n) {
        int v = 0;
        for (int k = from; k < from + n; k++) {
            if (k >= s.length()) throw new IllegalArgumentException("escape sequence not terminated");
            int d = Character.digit(s.charAt(k), 16);
            if (d < 0) throw new IllegalArgumentException("illegal character " + describeRune(s.charAt(k)) + " in escape sequence");
            v = v * 16 + d;
        }
        return v;
    }
}
