package tally.server.otlp;

import java.math.BigDecimal;

/** How bucket bounds and quantiles are written into {@code le} / {@code quantile} labels (Go's 'f', -1 format). */
public final class PromFormat {
    /** Below 2^53 every whole double is exact, and Long.toString writes it as Go's 'f', -1 does. */
    private static final double EXACT_WHOLE = 9_007_199_254_740_992d;
    private static final int CACHE_SIZE = 256;
    /** Recent fractional bounds: a histogram writes the same few per point (immutable entries, benign races). */
    private static final Formatted[] CACHE = new Formatted[CACHE_SIZE];

    private record Formatted(long bits, String text) {}

    private PromFormat() {}

    public static String le(double bound) {
        if (bound == Double.POSITIVE_INFINITY) return "+Inf";
        if (bound == Double.NEGATIVE_INFINITY) return "-Inf";
        if (Double.isNaN(bound)) return "NaN";
        if (bound == 0) return "0";
        if (bound == Math.rint(bound) && Math.abs(bound) < EXACT_WHOLE) return Long.toString((long) bound);
        long bits = Double.doubleToRawLongBits(bound);
        int slot = (int) (bits ^ (bits >>> 29) ^ (bits >>> 47)) & (CACHE_SIZE - 1);
        Formatted f = CACHE[slot];
        if (f != null && f.bits == bits) return f.text;
        String text = BigDecimal.valueOf(bound).stripTrailingZeros().toPlainString();
        CACHE[slot] = new Formatted(bits, text);
        return text;
    }
}
