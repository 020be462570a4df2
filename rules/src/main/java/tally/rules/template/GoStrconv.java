package tally.rules.template;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * The parts of Go's {@code strconv} that templates reach: number literals in Go syntax (base prefixes,
 * underscores), {@code ParseFloat} with its error texts, and quoting/unquoting of string and rune literals.
 */
final class GoStrconv {
    private GoStrconv() {}

    /** A strconv failure; the message is Go's whole error text. */
    static final class NumError extends Exception {
        NumError(String message) {
            super(message, null, false, false);
        }
    }

    static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    // ---- integers ----

    /** strconv.ParseInt(s, 0, 64); null when Go would return an error. */
    static Long parseInt(String s) {
        BigInteger v = parseIntBase0(s, true);
        if (v == null || v.bitLength() > 63) return null;
        return v.longValue();
    }

    /** strconv.ParseUint(s, 0, 64) as the uint64 bit pattern; null when Go would return an error. */
    static Long parseUint(String s) {
        BigInteger v = parseIntBase0(s, false);
        if (v == null || v.signum() < 0 || v.compareTo(MAX_UINT64) > 0) return null;
        return v.longValue();
    }

    private static BigInteger parseIntBase0(String s0, boolean signed) {
        if (s0.isEmpty()) return null;
        String s = s0;
        boolean neg = false;
        if (s.charAt(0) == '+' || s.charAt(0) == '-') {
            if (!signed) return null;
            neg = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.isEmpty()) return null;
        int base = 10;
        int i = 0;
        if (s.charAt(0) == '0') {
            if (s.length() >= 3 && (s.charAt(1) == 'x' || s.charAt(1) == 'X')) {
                base = 16;
                i = 2;
            } else if (s.length() >= 3 && (s.charAt(1) == 'o' || s.charAt(1) == 'O')) {
                base = 8;
                i = 2;
            } else if (s.length() >= 3 && (s.charAt(1) == 'b' || s.charAt(1) == 'B')) {
                base = 2;
                i = 2;
            } else {
                base = 8;
                i = 1;
            }
        }
        StringBuilder digits = new StringBuilder();
        boolean underscores = false;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '_') {
                underscores = true;
                continue;
            }
            if (Character.digit(c, base) < 0 || c > 0x7f) return null;
            digits.append(c);
        }
        if (underscores && !underscoreOK(s0)) return null;
        if (digits.length() == 0) {
            // "0" alone (octal prefix with no digits) is zero; "0x" is not a number.
            if (base == 8 && s.length() == 1) return BigInteger.ZERO;
            return null;
        }
        BigInteger v = new BigInteger(digits.toString(), base);
        return neg ? v.negate() : v;
    }

    /** Go's rule for '_' in number literals: only between digits, or after a base prefix. */
    static boolean underscoreOK(String s) {
        char saw = '^';
        int i = 0;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) s = s.substring(1);
        boolean hex = false;
        if (s.length() >= 2 && s.charAt(0) == '0') {
            char b = Character.toLowerCase(s.charAt(1));
            if (b == 'b' || b == 'o' || b == 'x') {
                i = 2;
                saw = '0';
                hex = b == 'x';
            }
        }
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            char lc = Character.toLowerCase(c);
            if ((c >= '0' && c <= '9') || (hex && lc >= 'a' && lc <= 'f')) {
                saw = '0';
                continue;
            }
            if (c == '_') {
                if (saw != '0') return false;
                saw = '_';
                continue;
            }
            if (saw == '_') return false;
            saw = '!';
        }
        return saw != '_';
    }

    // ---- floats ----

    /** strconv.ParseFloat(s, 64): Go's literal syntax plus inf/infinity/nan; errors carry Go's text. */
    static double parseFloat(String s) throws NumError {
        String syntax = "strconv.ParseFloat: parsing " + quote(s) + ": invalid syntax";
        String range = "strconv.ParseFloat: parsing " + quote(s) + ": value out of range";
        String t = s;
        boolean neg = false;
        if (!t.isEmpty() && (t.charAt(0) == '+' || t.charAt(0) == '-')) {
            neg = t.charAt(0) == '-';
            t = t.substring(1);
        }
        String lower = t.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("inf") || lower.equals("infinity")) return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        if (lower.equals("nan") && t.length() == s.length()) return Double.NaN;
        if (t.isEmpty()) throw new NumError(syntax);
        if (t.indexOf('_') >= 0) {
            if (!underscoreOK(s)) throw new NumError(syntax);
            t = t.replace("_", "");
        }
        double v;
        if (lower.startsWith("0x")) {
            if (!t.matches("0[xX](?:[0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)[pP][+-]?[0-9]+")) throw new NumError(syntax);
            v = Double.parseDouble(t);
        } else {
            if (!t.matches("(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?")) throw new NumError(syntax);
            v = new BigDecimal(t).doubleValue();
        }
        if (Double.isInfinite(v)) throw new NumError(range);
        return neg ? -v : v;
    }

    // ---- quoting ----

    /** strconv.Quote. */
    static String quote(String s) {
        return quoteWith(s, '"', false);
    }

    /** strconv.QuoteToASCII. */
    static String quoteToASCII(String s) {
        return quoteWith(s, '"', true);
    }

    /** strconv.QuoteRune / QuoteRuneToASCII. */
    static String quoteRune(int r, boolean ascii) {
        if (r > Character.MAX_CODE_POINT || (r >= 0xD800 && r <= 0xDFFF) || r < 0) r = 0xFFFD;
        StringBuilder sb = new StringBuilder("'");
        appendEscapedRune(sb, r, '\'', ascii);
        return sb.append('\'').toString();
    }

    private static String quoteWith(String s, char q, boolean ascii) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append(q);
        for (int i = 0; i < s.length(); ) {
            int r = s.codePointAt(i);
            i += Character.charCount(r);
            if (r >= 0xD800 && r <= 0xDFFF) {
                sb.append("\\ufffd"); // a lone surrogate stands for an invalid byte
                continue;
            }
            appendEscapedRune(sb, r, q, ascii);
        }
        return sb.append(q).toString();
    }

    private static final String HEX = "0123456789abcdef";

    private static void appendEscapedRune(StringBuilder sb, int r, char q, boolean ascii) {
        if (r == q || r == '\\') {
            sb.append('\\').appendCodePoint(r);
            return;
        }
        if (ascii ? (r < 0x80 && isPrint(r)) : isPrint(r)) {
            sb.appendCodePoint(r);
            return;
        }
        switch (r) {
            case 7 -> sb.append("\\a");
            case '\b' -> sb.append("\\b");
            case '\f' -> sb.append("\\f");
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            case 11 -> sb.append("\\v");
            default -> {
                if (r < ' ' || r == 0x7f) {
                    sb.append("\\x").append(HEX.charAt(r >> 4)).append(HEX.charAt(r & 0xF));
                } else if (r < 0x10000) {
                    sb.append("\\u");
                    for (int s = 12; s >= 0; s -= 4) sb.append(HEX.charAt((r >> s) & 0xF));
                } else {
                    sb.append("\\U");
                    for (int s = 28; s >= 0; s -= 4) sb.append(HEX.charAt((r >> s) & 0xF));
                }
            }
        }
    }

    /** unicode.IsPrint / strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    static boolean isPrint(int r) {
        if (r == ' ') return true;
        switch (Character.getType(r)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER,
                    Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK,
                    Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER,
                    Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                    Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL:
                return true;
            default:
                return false;
        }
    }

    /** strconv.CanBackquote. */
    static boolean canBackquote(String s) {
        for (int i = 0; i < s.length(); ) {
            int r = s.codePointAt(i);
            i += Character.charCount(r);
            if (r == 0xFEFF) return false;
            if (r == '\t') continue;
            if (r < ' ' || r == 0x7f || r == '`' || (r >= 0xD800 && r <= 0xDFFF)) return false;
        }
        return true;
    }

    /** The result of decoding one character of a quoted literal. */
    record Unquoted(int rune, boolean multibyte, int next) {}

    /**
     * strconv.UnquoteChar on s from index i, inside a literal quoted with q; null on a syntax error.
     * An escape \xNN or octal above 0x7f is a single byte in Go: it is returned with multibyte false.
     */
    static Unquoted unquoteChar(String s, int i, char q) {
        if (i >= s.length()) return null;
        int c = s.codePointAt(i);
        if (c == q && (q == '\'' || q == '"')) return null;
        if (c != '\\') return new Unquoted(c, true, i + Character.charCount(c));
        if (i + 1 >= s.length()) return null;
        char e = s.charAt(i + 1);
        int j = i + 2;
        switch (e) {
            case 'a': return new Unquoted(7, true, j);
            case 'b': return new Unquoted('\b', true, j);
            case 'f': return new Unquoted('\f', true, j);
            case 'n': return new Unquoted('\n', true, j);
            case 'r': return new Unquoted('\r', true, j);
            case 't': return new Unquoted('\t', true, j);
            case 'v': return new Unquoted(11, true, j);
            case 'x', 'u', 'U': {
                int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                if (j + n > s.length()) return null;
                int v = 0;
                for (int k = 0; k < n; k++) {
                    int d = Character.digit(s.charAt(j + k), 16);
                    if (d < 0 || s.charAt(j + k) > 0x7f) return null;
                    v = (v << 4) | d;
                }
                if (e == 'x') return new Unquoted(v, false, j + n);
                if (v < 0 || v > Character.MAX_CODE_POINT || (v >= 0xD800 && v <= 0xDFFF)) return null;
                return new Unquoted(v, true, j + n);
            }
            case '0', '1', '2', '3', '4', '5', '6', '7': {
                if (i + 4 > s.length()) return null;
                int v = 0;
                for (int k = 1; k <= 3; k++) {
                    int d = s.charAt(i + k) - '0';
                    if (d < 0 || d > 7) return null;
                    v = (v << 3) | d;
                }
                if (v > 255) return null;
                return new Unquoted(v, false, i + 4);
            }
            case '\\': return new Unquoted('\\', true, j);
            case '\'', '"':
                if (e != q) return null;
                return new Unquoted(e, true, j);
            default:
                return null;
        }
    }

    /** strconv.Unquote for "..." and `...` literals; null on a syntax error. Raw bytes above 0x7f decode as UTF-8. */
    static String unquote(String s) {
        int n = s.length();
        if (n < 2) return null;
        char q = s.charAt(0);
        if (q != s.charAt(n - 1)) return null;
        String body = s.substring(1, n - 1);
        if (q == '`') {
            if (body.indexOf('`') >= 0) return null;
            return body.replace("\r", "");
        }
        if (q != '"' && q != '\'') return null;
        if (body.indexOf('\n') >= 0) return null;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int count = 0;
        for (int i = 0; i < body.length(); ) {
            Unquoted u = unquoteChar(body, i, q);
            if (u == null) return null;
            i = u.next();
            if (u.multibyte()) {
                byte[] b = new String(Character.toChars(u.rune())).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            } else {
                out.write(u.rune());
            }
            count++;
            if (q == '\'' && count > 1) return null;
        }
        if (q == '\'' && count != 1) return null;
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }
}
