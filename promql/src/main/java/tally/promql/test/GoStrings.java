package tally.promql.test;

/** Reads PromQL string literals: {@code "..."} and {@code '...'} with Go escapes, raw {@code `...`}. */
final class GoStrings {
    private GoStrings() {}

    /** A decoded literal and the index just past its closing quote. */
    record Literal(String value, int end) {}

    /**
     * Decodes the literal that starts at {@code start} (which must be a quote character).
     *
     * @throws IllegalArgumentException when unterminated or with an invalid escape
     */
    static Literal read(String s, int start) {
        char q = s.charAt(start);
        if (q != '"' && q != '\'' && q != '`') throw new IllegalArgumentException("expected a quoted string at " + (start + 1));
        StringBuilder sb = new StringBuilder();
        int i = start + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == q) return new Literal(sb.toString(), i + 1);
            if (c == '\\' && q != '`') {
                i = escape(s, i + 1, q, sb);
                continue;
            }
            if (c == '\n' && q != '`') break;
            sb.append(c);
            i++;
        }
        throw new IllegalArgumentException("unterminated quoted string " + s.substring(start));
    }

    /** Decodes the whole of {@code s} as one literal (for {@code expect string}). */
    static String unquote(String s) {
        if (s.isEmpty()) throw new IllegalArgumentException("empty string literal");
        Literal lit = read(s, 0);
        if (lit.end() != s.length()) throw new IllegalArgumentException("text after the string literal: " + s);
        return lit.value();
    }

    private static int escape(String s, int i, char quote, StringBuilder sb) {
        if (i >= s.length()) throw new IllegalArgumentException("escape sequence not terminated");
        char c = s.charAt(i);
        switch (c) {
            case 'a': sb.append('\u0007'); return i + 1;
            case 'b': sb.append('\b'); return i + 1;
            case 'f': sb.append('\f'); return i + 1;
            case 'n': sb.append('\n'); return i + 1;
            case 'r': sb.append('\r'); return i + 1;
            case 't': sb.append('\t'); return i + 1;
            case 'v': sb.append('\u000b'); return i + 1;
            case '\\': sb.append('\\'); return i + 1;
            case 'x': return hex(s, i + 1, 2, sb);
            case 'u': return hex(s, i + 1, 4, sb);
            case 'U': return hex(s, i + 1, 8, sb);
            default:
                if (c == quote) {
                    sb.append(c);
                    return i + 1;
                }
                if (c >= '0' && c <= '7') {
                    if (i + 3 > s.length()) throw new IllegalArgumentException("invalid octal escape");
                    int v = Integer.parseInt(s.substring(i, i + 3), 8);
                    if (v > 255) throw new IllegalArgumentException("octal escape value > 255");
                    sb.append((char) v);
                    return i + 3;
                }
                throw new IllegalArgumentException("unknown escape sequence \\" + c);
        }
    }

    private static int hex(String s, int i, int n, StringBuilder sb) {
        if (i + n > s.length()) throw new IllegalArgumentException("invalid hex escape");
        int v = Integer.parseUnsignedInt(s.substring(i, i + n), 16);
        sb.appendCodePoint(v);
        return i + n;
    }
}
