package tally.server.otlp;

import java.math.BigDecimal;

/** How bucket bounds and quantiles are written into {@code le} / {@code quantile} labels (Go's 'f', -1 format). */
public final class PromFormat {
    private PromFormat() {}

    public static String le(double bound) {
        if (bound == Double.POSITIVE_INFINITY) return "+Inf";
        if (bound == Double.NEGATIVE_INFINITY) return "-Inf";
        if (Double.isNaN(bound)) return "NaN";
        if (bound == 0) return "0";
        return BigDecimal.valueOf(bound).stripTrailingZeros().toPlainString();
    }
}
