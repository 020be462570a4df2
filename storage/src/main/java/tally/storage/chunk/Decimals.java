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
        if (scale == 0) {
            // integers (most counters): a cast instead of round + divide; -0.0 and NaN fall through as NONE
            long m = (long) v;
            return m == v && m > -MAX_MANTISSA && m < MAX_MANTISSA
                && (m != 0 || Double.doubleToRawLongBits(v) == 0) ? m : NONE;
        }
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

    /** Largest ulp correction a SUM step may carry (float sums of decimals round off by an ulp or two). */
    static final int MAX_CORRECTION = 2;
    /** Returned by {@link #correction} when v is out of reach. */
    static final int NO_CORRECTION = Integer.MIN_VALUE;

    /** Integer step d to try for {@code prev + d/10^scale ~ v}, or NONE when out of range. */
    static long step(double prev, double v, int scale) {
        double x = (v - prev) * POW10[scale];
        if (!(Math.abs(x) < MAX_MANTISSA)) {
            return NONE; // also NaN and infinities
        }
        return Math.round(x);
    }

    /**
     * Raw-bits difference c with {@code bits(prev + d/10^scale) + c == bits(v)}, when |c| <= MAX_CORRECTION
     * and both are finite with the same sign; otherwise NO_CORRECTION.
     */
    static int correction(double prev, long d, int scale, double v) {
        long base = Double.doubleToRawLongBits(prev + toDouble(d, scale));
        long bits = Double.doubleToRawLongBits(v);
        long c = bits - base;
        if (c == 0) {
            return 0;
        }
        if (c < -MAX_CORRECTION || c > MAX_CORRECTION || (base ^ bits) < 0
            || !Double.isFinite(v) || !Double.isFinite(Double.longBitsToDouble(base))) {
            return NO_CORRECTION;
        }
        return (int) c;
    }

    /** Smallest scale >= from at which v is reachable from prev by one SUM step, or -1. */
    static int stepScale(double prev, double v, int from) {
        for (int s = from; s <= MAX_SCALE; s++) {
            long d = step(prev, v, s);
            if (d != NONE && correction(prev, d, s, v) != NO_CORRECTION) {
                return s;
            }
        }
        return -1;
    }

    /** Values the decimal streams always escape: NaNs (stale markers), infinities, negative zero. */
    static boolean special(double v) {
        return !Double.isFinite(v) || Double.doubleToRawLongBits(v) == Long.MIN_VALUE;
    }
}
