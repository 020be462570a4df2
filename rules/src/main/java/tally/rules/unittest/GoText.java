package tally.rules.unittest;

import java.math.BigDecimal;
import tally.model.LabelNames;
import tally.model.Labels;

/** How promtool prints durations and floats in its messages (Go's time.Duration and strconv 'E' formats). */
final class GoText {
    private GoText() {}

    /** Go's time.Duration.String for whole milliseconds: {@code 0s}, {@code 1m30s}, {@code 1h0m0s}, {@code 1.5s}, {@code 250ms}. */
    static String duration(long ms) {
        if (ms == 0) return "0s";
        StringBuilder sb = new StringBuilder();
        if (ms < 0) {
            sb.append('-');
            ms = -ms;
        }
        if (ms < 1000) return sb.append(ms).append("ms").toString();
        long h = ms / 3_600_000, m = ms / 60_000 % 60, s = ms / 1000 % 60, frac = ms % 1000;
        if (h > 0) sb.append(h).append('h');
        if (h > 0 || m > 0) sb.append(m).append('m');
        sb.append(s);
        if (frac > 0) sb.append('.').append(String.format("%03d", frac).replaceAll("0+$", ""));
        return sb.append('s').toString();
    }

    /** Go's strconv.FormatFloat(v, 'E', -1, 64): shortest digits, one before the point, a signed exponent of 2+ digits. */
    static String floatE(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        if (v == 0) return (Double.doubleToRawLongBits(v) < 0 ? "-" : "") + "0E+00";
        BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exp = digits.length() - 1 - d.scale();
        StringBuilder sb = new StringBuilder();
        if (v < 0) sb.append('-');
        sb.append(digits.charAt(0));
        if (digits.length() > 1) sb.append('.').append(digits, 1, digits.length());
        sb.append('E').append(exp < 0 ? '-' : '+');
        int a = Math.abs(exp);
        if (a < 10) sb.append('0');
        return sb.append(a).toString();
    }

    /** Go's labels.Labels.String: {@code {__name__="up", job="a"}}, names quoted only when not legacy-valid. */
    static String labels(Labels ls) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < ls.size(); i++) {
            if (i > 0) sb.append(", ");
            String n = ls.name(i);
            sb.append(LabelNames.isLegacyLabelName(n) ? n : quote(n)).append('=').append(quote(ls.value(i)));
        }
        return sb.append('}').toString();
    }

    /** Go's strconv.Quote (%q). */
    static String quote(String s) {
        return LabelNames.quote(s);
    }
}
