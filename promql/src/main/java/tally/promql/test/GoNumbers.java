package tally.promql.test;

import java.util.regex.Pattern;

/** Number parsing and printing the way the Go test runner does it. */
public final class GoNumbers {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?");
    private static final Pattern HEX_FLOAT = Pattern.compile("[+-]?0[xX](?:[0-9a-fA-F]+(?:\\.[0-9a-fA-F]*)?|\\.[0-9a-fA-F]+)[pP][+-]?\\d+");

    private GoNumbers() {}

    /**
     * A scalar result line: Go's {@code strconv.ParseInt(s, 0, 64)} (so {@code 0x5}, {@code 0o7},
     * {@code 010} octal) and else {@code strconv.ParseFloat}. Null when {@code s} is not a number.
     */
    public static Double parseScalar(String s) {
        Double i = parseGoInt(s);
        return i != null ? i : parseGoFloat(s);
    }

    /** Go's {@code ParseFloat}: decimal, hexadecimal with exponent, inf/infinity/nan in any case. */
    public static Double parseGoFloat(String s) {
        String body = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
        boolean negative = s.startsWith("-");
        String lower = body.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("inf") || lower.equals("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (lower.equals("nan")) return s.equals(body) ? Double.NaN : null; // Go refuses a signed NaN
        if (DECIMAL.matcher(s).matches() || HEX_FLOAT.matcher(s).matches()) return Double.parseDouble(s);
        return null;
    }

    private static Double parseGoInt(String s) {
        if (s.isEmpty()) return null;
        int i = 0;
        boolean negative = false;
        if (s.charAt(0) == '+' || s.charAt(0) == '-') {
            negative = s.charAt(0) == '-';
            i = 1;
        }
        String body = s.substring(i);
        if (body.isEmpty()) return null;
        int radix = 10;
        String digits = body;
        if (body.length() > 1 && body.charAt(0) == '0') {
            char p = Character.toLowerCase(body.charAt(1));
            if (p == 'x') { radix = 16; digits = body.substring(2); }
            else if (p == 'o') { radix = 8; digits = body.substring(2); }
            else if (p == 'b') { radix = 2; digits = body.substring(2); }
            else { radix = 8; digits = body.substring(1); }
        }
        if (digits.startsWith("_")) digits = digits.substring(1); // allowed right after a base prefix
        if (digits.isEmpty() || digits.endsWith("_") || digits.contains("__")) return null;
        if (radix == 10 && digits.contains("_")) return null;
        digits = digits.replace("_", "");
        for (int k = 0; k < digits.length(); k++) {
            if (Character.digit(digits.charAt(k), radix) < 0) return null;
        }
        try {
            long v = Long.parseLong((negative ? "-" : "") + digits, radix);
            return (double) v;
        } catch (NumberFormatException e) {
            return null; // out of int64 range: Go falls back to ParseFloat
        }
    }

    /** Prints a float like Go's {@code %v}: {@code 3}, {@code 0.5}, {@code 1e+21}, {@code NaN}, {@code +Inf}. */
    public static String format(double v) {
        if (Double.isNaN(v)) return tally.model.StaleNaN.is(v) ? "stale" : "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        if (v == Math.rint(v) && Math.abs(v) < 1e21) {
            if (v == 0 && 1 / v < 0) return "-0";
            return Long.toString((long) v);
        }
        String s = Double.toString(v);
        int e = s.indexOf('E');
        if (e < 0) return s;
        String exp = s.substring(e + 1);
        String sign = exp.startsWith("-") ? "-" : "+";
        if (exp.startsWith("-")) exp = exp.substring(1);
        if (exp.length() == 1) exp = "0" + exp;
        String mantissa = s.substring(0, e);
        if (mantissa.endsWith(".0")) mantissa = mantissa.substring(0, mantissa.length() - 2);
        return mantissa + "e" + sign + exp;
    }
}
