package tally.storage.chunk;

/**
 * Exact decimal views of doubles. A value is "decimal at scale s" when an integer m with |m| < 2^53
 * gives back the very same bits as {@code m / 10^s}: division by an exact power of ten is correctly
 * rounded, so this is the double a parser would produce for the text "m e-s".
 */
final class Decimals {
    static final int MAX_SCALE = 15;
    static final long MAX_MANTISSA = 1L << 53;
    /** Returned when no exact integer exists. */
    static final long NONE = Long.MIN_VALUE;
    static final double[] POW10 = new double[MAX_SCALE + 1];

    static {
        double p = 1;
        for (int i = 0; i <= MAX_SCALE; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private Decimals() {}

    static double toDouble(long m, int scale) {
        return scale == 0 ? (double) m : m / POW10[scale];
    }

    /** m with {@code toDouble(m, scale)} bit-identical to v, or NONE. */
    static long scaled(double v, int scale) {
        double x = v * POW10[scale];
        if (!(Math.abs(x) < MAX_MANTISSA)) {
            return NONE; // also rejects NaN and infinities
        }
        long m = Math.round(x);
        return Double.doubleToRawLongBits(toDouble(m, scale)) == Double.doubleToRawLongBits(v) ? m : NONE;
    }

    /** Smallest scale >= from at which v is decimal, or -1. */
    static int minScale(double v, int from) {
        for (int s = from; s <= MAX_SCALE; s++) {
            if (scaled(v, s) != NONE) {
                return s;
            }
        }
        return -1;
    }

    /** Integer step d with {@code prev + d/10^scale} bit-identical to v (float accumulation), or NONE. */
    static long step(double prev, double v, int scale) {
        double x = (v - prev) * POW10[scale];
        if (!(Math.abs(x) < MAX_MANTISSA)) {
            return NONE;
        }
        long d = Math.round(x);
        double back = prev + toDouble(d, scale);
        return Double.doubleToRawLongBits(back) == Double.doubleToRawLongBits(v) ? d : NONE;
    }

    /** Values the decimal streams always escape: NaNs (stale markers), infinities, negative zero. */
    static boolean special(double v) {
        return !Double.isFinite(v) || Double.doubleToRawLongBits(v) == Long.MIN_VALUE;
    }
}
