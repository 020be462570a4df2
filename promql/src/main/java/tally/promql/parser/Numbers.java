package tally.promql.parser;

import java.util.Locale;

/** Number literals as Prometheus reads them: Go's ParseInt(s, 0, 64) first (hex, octal), then ParseFloat. */
final class Numbers {
    private Numbers() {}

    /** @throws NumberFormatException when the text is no number Go would accept */
    static double parse(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "inf", "+inf", "infinity", "+infinity" -> { return Double.POSITIVE_INFINITY; }
            case "-inf", "-infinity" -> { return Double.NEGATIVE_INFINITY; }
            case "nan" -> { return Double.NaN; }
            default -> { }
        }
        if (lower.startsWith("0x")) return (double) Long.parseLong(lower.substring(2), 16);
        if (isOctalCandidate(lower)) {
            try {
                return (double) Long.parseLong(lower.substring(1), 8);
            } catch (NumberFormatException notOctal) {
                // digits 8 or 9: Go falls back to ParseFloat, which reads it as decimal
            }
        }
        return Double.parseDouble(lower);
    }

    /** "0755": a leading zero and only digits makes Go's ParseInt read it in base 8. */
    private static boolean isOctalCandidate(String s) {
        if (s.length() < 2 || s.charAt(0) != '0') return false;
        for (int i = 1; i < s.length(); i++) if (!Character.isDigit(s.charAt(i))) return false;
        return true;
    }
}
