package tally.promql.functions;

/** Go's math library where Java's differs in results that PromQL tests can see. */
public final class GoMath {
    private static final double LN2 = 0.693147180559945309417232121458176568;
    private static final double LN10 = 2.30258509299404568401799145468436421;

    private GoMath() {}

    /** Go's Pow: unlike Java, {@code pow(1, y) = 1} and {@code pow(-1, ±Inf) = 1}. */
    public static double pow(double x, double y) {
        if (x == 1 || y == 0) return 1;
        if (x == -1 && Double.isInfinite(y)) return 1;
        return Math.pow(x, y);
    }

    /** Go's Log2: exact for powers of two. */
    public static double log2(double x) {
        if (Double.isNaN(x) || x < 0) return Double.NaN;
        if (x == 0) return Double.NEGATIVE_INFINITY;
        if (Double.isInfinite(x)) return x;
        int exp = Math.getExponent(x);
        double frac;
        if (exp == Double.MIN_EXPONENT - 1) { // subnormal: normalise first
            double scaled = x * 0x1p52;
            exp = Math.getExponent(scaled) - 52;
            frac = scaled / Math.scalb(1.0, Math.getExponent(scaled) + 1);
        } else {
            frac = x / Math.scalb(1.0, exp + 1);
        }
        exp += 1; // frexp convention: x = frac * 2^exp with frac in [0.5, 1)
        if (frac == 0.5) return exp - 1;
        return Math.log(frac) * (1 / LN2) + exp;
    }

    /** Go's Log10 (computed through log2, so log10(1000) is not exactly 3, as in Prometheus). */
    public static double log10(double x) {
        return log2(x) * (LN2 / LN10);
    }

    public static double asinh(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x) || x == 0) return x;
        double a = Math.abs(x);
        double r = Math.log(a + Math.sqrt(a * a + 1));
        return x < 0 ? -r : r;
    }

    public static double acosh(double x) {
        if (x < 1 || Double.isNaN(x)) return Double.NaN;
        if (x == 1) return 0;
        return Math.log(x + Math.sqrt(x * x - 1));
    }

    public static double atanh(double x) {
        if (x < -1 || x > 1 || Double.isNaN(x)) return Double.NaN;
        if (x == 1) return Double.POSITIVE_INFINITY;
        if (x == -1) return Double.NEGATIVE_INFINITY;
        if (x == 0) return x;
        return 0.5 * Math.log1p(2 * x / (1 - x));
    }

    /** Go's strconv.ParseFloat for label values such as {@code le}: null when not a number. */
    public static Double parseFloat(String s) {
        if (s == null || s.isEmpty()) return null;
        String t = s;
        int sign = 1;
        if (t.charAt(0) == '+' || t.charAt(0) == '-') {
            if (t.charAt(0) == '-') sign = -1;
            t = t.substring(1);
        }
        if (t.equalsIgnoreCase("inf") || t.equalsIgnoreCase("infinity")) return sign * Double.POSITIVE_INFINITY;
        if (t.equalsIgnoreCase("nan")) return s.equals(t) ? Double.NaN : null;
        boolean hex = t.startsWith("0x") || t.startsWith("0X");
        for (int i = hex ? 2 : 0; i < t.length(); i++) {
            char c = t.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || c == '.' || c == '+' || c == '-' || c == '_'
                    || (hex ? c == 'p' || c == 'P' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') : c == 'e' || c == 'E');
            if (!ok) return null;
        }
        try {
            if (hex) {
                String digits = t.replace("_", "");
                if (digits.indexOf('p') < 0 && digits.indexOf('P') < 0) {
                    return sign * (double) Long.parseLong(digits.substring(2), 16);
                }
                return sign * Double.parseDouble(digits);
            }
            if (t.indexOf('_') >= 0) return null; // underscores only allowed with a base prefix
            return sign * Double.parseDouble(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
