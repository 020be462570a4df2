package tally.rules.template;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Go's {@code strconv.FormatFloat} for float64 with formats {@code e E f g G}: shortest round-trip digits
 * for precision -1, otherwise the exact binary value rounded half-to-even, then laid out with Go's rules
 * (exponent at least two digits, {@code %g} switching to {@code %e} below 1e-4 or from the precision on).
 *
 * <p>Digits come from {@link BigDecimal}, which holds a double exactly, so rounding matches Go's exact
 * decimal conversion; Java 17's {@code Double.toString} is not always shortest, so it is not used.
 */
final class GoFloats {
    private GoFloats() {}

    /** Decimal digits without leading or trailing zeros; the value is 0.{digits} x 10^dp. Zero has no digits. */
    private record Digits(String d, int dp) {
        int nd() { return d.length(); }
        char at(int i) { return d.charAt(i); }
    }

    static String format(double v, char fmt, int prec) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        boolean neg = (Double.doubleToRawLongBits(v) < 0);
        double a = Math.abs(v);
        Digits digs;
        boolean shortest = prec < 0;
        if (shortest) {
            digs = shortest(a);
            switch (fmt) {
                case 'e', 'E' -> prec = Math.max(digs.nd() - 1, 0);
                case 'f' -> prec = Math.max(digs.nd() - digs.dp(), 0);
                default -> prec = digs.nd();
            }
        } else if (fmt == 'f') {
            digs = digitsOf(new BigDecimal(a).setScale(prec, RoundingMode.HALF_EVEN));
        } else {
            int n;
            if (fmt == 'e' || fmt == 'E') {
                n = prec + 1;
            } else {
                if (prec == 0) prec = 1;
                n = prec;
            }
            digs = a == 0 ? new Digits("", 0) : digitsOf(new BigDecimal(a).round(new MathContext(n, RoundingMode.HALF_EVEN)));
        }
        StringBuilder sb = new StringBuilder(24);
        if (neg) sb.append('-');
        switch (fmt) {
            case 'e', 'E' -> fmtE(sb, digs, prec, fmt);
            case 'f' -> fmtF(sb, digs, prec);
            case 'g', 'G' -> {
                int eprec = prec;
                if (eprec > digs.nd() && digs.nd() >= digs.dp()) eprec = digs.nd();
                // Shortest output decides the exponent form as if the precision were 6.
                if (shortest) eprec = 6;
                int exp = digs.dp() - 1;
                if (exp < -4 || exp >= eprec) {
                    if (prec > digs.nd()) prec = digs.nd();
                    fmtE(sb, digs, prec - 1, fmt == 'g' ? 'e' : 'E');
                } else {
                    if (prec > digs.dp()) prec = digs.nd();
                    fmtF(sb, digs, Math.max(prec - digs.dp(), 0));
                }
            }
            default -> throw new IllegalArgumentException("format " + fmt);
        }
        return sb.toString();
    }

    /** Shortest digits that read back as the same double; among equally short ones, the closest. */
    private static Digits shortest(double a) {
        if (a == 0) return new Digits("", 0);
        BigDecimal exact = new BigDecimal(a);
        for (int n = 1; n <= 17; n++) {
            BigDecimal r = exact.round(new MathContext(n, RoundingMode.HALF_EVEN));
            if (Double.parseDouble(r.toString()) == a) return digitsOf(r);
            // At a power of two the rounding interval is lopsided: a neighbour may round-trip when the nearest does not.
            BigDecimal ulp = r.ulp();
            BigDecimal up = r.add(ulp), down = r.subtract(ulp);
            boolean upOk = Double.parseDouble(up.toString()) == a;
            boolean downOk = down.signum() > 0 && Double.parseDouble(down.toString()) == a;
            if (upOk && downOk) {
                return digitsOf(up.subtract(exact).abs().compareTo(exact.subtract(down).abs()) <= 0 ? up : down);
            }
            if (upOk) return digitsOf(up);
            if (downOk) return digitsOf(down);
        }
        return digitsOf(exact.round(new MathContext(17, RoundingMode.HALF_EVEN)));
    }

    private static Digits digitsOf(BigDecimal r) {
        if (r.signum() == 0) return new Digits("", 0);
        BigDecimal s = r.stripTrailingZeros();
        String d = s.unscaledValue().toString();
        return new Digits(d, d.length() - s.scale());
    }

    private static void fmtE(StringBuilder sb, Digits d, int prec, char fmt) {
        sb.append(d.nd() == 0 ? '0' : d.at(0));
        if (prec > 0) {
            sb.append('.');
            int i = 1;
            int m = Math.min(d.nd(), prec + 1);
            if (i < m) {
                sb.append(d.d(), i, m);
                i = m;
            }
            for (; i <= prec; i++) sb.append('0');
        }
        sb.append(fmt);
        int exp = d.nd() == 0 ? 0 : d.dp() - 1;
        if (exp < 0) {
            sb.append('-');
            exp = -exp;
        } else {
            sb.append('+');
        }
        if (exp < 10) sb.append('0');
        sb.append(exp);
    }

    private static void fmtF(StringBuilder sb, Digits d, int prec) {
        if (d.dp() > 0) {
            int m = Math.min(d.nd(), d.dp());
            sb.append(d.d(), 0, m);
            for (; m < d.dp(); m++) sb.append('0');
        } else {
            sb.append('0');
        }
        if (prec > 0) {
            sb.append('.');
            for (int i = 0; i < prec; i++) {
                int j = d.dp() + i;
                sb.append(j >= 0 && j < d.nd() ? d.at(j) : '0');
            }
        }
    }

    /** Go's {@code %v} of a float64 (strconv 'g' with shortest digits). */
    static String shortestG(double v) {
        return format(v, 'g', -1);
    }
}
