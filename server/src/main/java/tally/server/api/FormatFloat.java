package tally.server.api;

import java.math.BigInteger;

/**
 * Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}, what Prometheus writes sample values with: the shortest decimal
 * that parses back to {@code v} (the closest one when several are as short), written out without an exponent.
 * Finite values only; "-0" for negative zero, as Go.
 *
 * <p>The digits come from Giulietti's Schubfach algorithm (as in JDK 19's Double.toString; JDK 17's is not always
 * shortest: it prints 1e23 as 9.999999999999999E22), in 64-bit arithmetic with no allocation. Java's spec lets a
 * subnormal with a one-digit shortest form come out with two digits (4.9E-324); Go prints one digit (5e-324), and
 * {@link #oneDigitSubnormal} picks it.
 */
final class FormatFloat {
    private FormatFloat() {}

    /** Longest output: a subnormal has up to 2 + 323 zeros + 17 digits characters, plus a sign. */
    static final int MAX_CHARS = 345;

    private static final int P = 53;                 // precision, hidden bit included
    private static final int Q_MIN = -1074;          // exponent of the least subnormal's unit
    private static final long C_MIN = 1L << (P - 1);
    private static final int C_TINY = 3;             // below it a subnormal's c is scaled by 10 (Schubfach's rule)
    private static final int K_MIN = -324;
    private static final int K_MAX = 292;
    private static final long MASK_63 = (1L << 63) - 1;

    /** g(k) = floor(10^-k / 2^r) + 1 with 2^125 <= g < 2^126, split into its high and low 63 bits (section 9.8.3). */
    private static final long[] G = table();

    /**
     * Writes {@code v} (finite) into {@code out} at {@code pos}, which has room for {@link #MAX_CHARS}; returns the
     * position after it.
     */
    static int write(double v, byte[] out, int pos) {
        long bits = Double.doubleToRawLongBits(v);
        if (bits < 0) out[pos++] = '-';
        long t = bits & (C_MIN - 1);
        int bq = (int) (bits >>> (P - 1)) & 0x7FF;
        if (bq == 0x7FF) throw new IllegalArgumentException("not finite: " + v);
        if (bq != 0) {
            int mq = -Q_MIN + 1 - bq;
            long c = C_MIN | t;
            if (0 < mq && mq < P) {
                long f = c >> mq;
                if (f << mq == c) return digits(f, 0, out, pos); // a whole number below 2^53
            }
            return digits(toDecimal(-mq, c, 0), decimalExponent(-mq, c), out, pos);
        }
        if (t == 0) {
            out[pos++] = '0';
            return pos;
        }
        long c = t < C_TINY ? 10 * t : t;
        int dk = t < C_TINY ? -1 : 0;
        long f = toDecimal(Q_MIN, c, dk);
        int e = decimalExponent(Q_MIN, c) + dk;
        if (f >= 10 && f < 100) {
            long one = oneDigitSubnormal(t, f, e);
            if (one >= 0) return digits(one, e + 1, out, pos);
        }
        return digits(f, e, out, pos);
    }

    /** For tests and rare callers: the text {@link #write} produces. */
    static String toString(double v) {
        byte[] b = new byte[MAX_CHARS];
        int n = write(v, b, 0);
        return new String(b, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** The k of {@link #toDecimal}: its result's decimal exponent (plus dk). */
    private static int decimalExponent(int q, long c) {
        return c != C_MIN || q == Q_MIN ? flog10pow2(q) : flog10threeQuartersPow2(q);
    }

    /**
     * Schubfach's decimal for c 2^q: its significand, whose exponent is {@link #decimalExponent} + dk.
     * Figure 7 of Giulietti's paper, computed as in figure 9; dk = -1 when c was scaled by 10.
     */
    private static long toDecimal(int q, long c, int dk) {
        int out = (int) c & 1; // an odd c excludes the interval's ends (parsing rounds ties to even)
        long cb = c << 2;
        long cbr = cb + 2;
        long cbl;
        int k;
        if (c != C_MIN || q == Q_MIN) {
            cbl = cb - 2;
            k = flog10pow2(q);
        } else {
            // a power of two: the next lower double is half as far as the next higher one
            cbl = cb - 1;
            k = flog10threeQuartersPow2(q);
        }
        int h = q + flog2pow10(-k) + 2;
        long g1 = G[2 * (k - K_MIN)];
        long g0 = G[2 * (k - K_MIN) + 1];
        long vb = rop(g1, g0, cb << h);
        long vbl = rop(g1, g0, cbl << h);
        long vbr = rop(g1, g0, cbr << h);
        long s = vb >> 2;
        if (s >= 100) {
            // one digit fewer: s' = floor(s / 10), by a multiplication
            long sp10 = 10 * Math.multiplyHigh(s, 115_292_150_460_684_698L << 4);
            long tp10 = sp10 + 10;
            boolean upin = vbl + out <= sp10 << 2;
            boolean wpin = (tp10 << 2) + out <= vbr;
            if (upin != wpin) return (upin ? sp10 : tp10) * (dk < 0 ? 10 : 1); // at 10^k, so at 10^(k + dk) too
        }
        boolean uin = vbl + out <= s << 2;
        boolean win = ((s + 1) << 2) + out <= vbr;
        if (uin != win) return uin ? s : s + 1;
        // both in the interval: the closer one, the even one on a tie
        long cmp = vb - ((2 * s + 1) << 1);
        return cmp < 0 || cmp == 0 && (s & 1) == 0 ? s : s + 1;
    }

    /** Rounded-to-odd product of g and cp, scaled down by 2^127 (section 9.8.3). */
    private static long rop(long g1, long g0, long cp) {
        long x1 = Math.multiplyHigh(g0, cp);
        long y0 = g1 * cp;
        long y1 = Math.multiplyHigh(g1, cp);
        long z = (y0 >>> 1) + x1;
        long vbp = y1 + (z >>> 63);
        return vbp | ((z & MASK_63) + MASK_63) >>> 63;
    }

    // floor(e log10(2)), floor(e log10(3/4 2)), floor(e log2(10)); exact in the ranges used (checked by FormatFloatTest)
    static int flog10pow2(int e) {
        return (int) (e * 661_971_961_083L >> 41);
    }

    static int flog10threeQuartersPow2(int e) {
        return (int) (e * 661_971_961_083L + -274_743_187_321L >> 41);
    }

    static int flog2pow10(int e) {
        return (int) (e * 913_124_641_741L >> 38);
    }

    /**
     * Go's one-digit form of the subnormal t 2^-1074 whose Schubfach form f 10^e has two digits, or -1 when no
     * one-digit decimal parses back to it. Subnormals of this size never appear in metrics; BigInteger is fine here.
     */
    private static long oneDigitSubnormal(long t, long f, int e) {
        long best = -1;
        BigInteger bestDistance = null;
        for (long d = f / 10; d <= f / 10 + 1; d++) { // d = 10 is the one digit 1 at 10^(e+2)
            if (d == 0) continue;
            // x = d 10^(e+1) lies within half a unit (2^-1075) of v = t 2^-1074: |2 d 10^(e+1) 2^1074 - 2t| <= 1,
            // the ends included only for an even t; with e+1 < 0, scale both sides by 10^-(e+1)
            BigInteger scale = BigInteger.TEN.pow(-(e + 1));
            BigInteger x = BigInteger.valueOf(2 * d).shiftLeft(1074);
            BigInteger distance = x.subtract(BigInteger.valueOf(2 * t).multiply(scale)).abs();
            int cmp = distance.compareTo(scale);
            if (cmp < 0 || cmp == 0 && (t & 1) == 0) {
                if (best < 0 || distance.compareTo(bestDistance) < 0) {
                    best = d;
                    bestDistance = distance;
                }
            }
        }
        return best;
    }

    /** Writes f 10^e in positional notation, trailing zeros of f dropped first. */
    private static int digits(long f, int e, byte[] out, int pos) {
        while (f % 10 == 0 && f != 0) {
            f /= 10;
            e++;
        }
        int n = length(f);
        int point = n + e; // digits before the decimal point
        if (point <= 0) {
            out[pos++] = '0';
            out[pos++] = '.';
            for (int i = point; i < 0; i++) out[pos++] = '0';
            return putDigits(f, n, out, pos);
        }
        if (point >= n) {
            pos = putDigits(f, n, out, pos);
            for (int i = n; i < point; i++) out[pos++] = '0';
            return pos;
        }
        // split f at the point without dividing twice: write all digits, then shift the fraction right by one
        int end = putDigits(f, n, out, pos);
        System.arraycopy(out, pos + point, out, pos + point + 1, n - point);
        out[pos + point] = '.';
        return end + 1;
    }

    /** Writes the n digits of f (f > 0) at pos; returns pos + n. */
    static int putDigits(long f, int n, byte[] out, int pos) {
        int end = pos + n;
        for (int i = end - 1; i >= pos; i--) {
            out[i] = (byte) ('0' + f % 10);
            f /= 10;
        }
        return end;
    }

    /** Decimal digits of f (f >= 0; 1 for 0). */
    static int length(long f) {
        int n = 1;
        for (long p = 10; n < 19 && f >= p; p *= 10) n++;
        return n;
    }

    private static long[] table() {
        long[] g = new long[2 * (K_MAX - K_MIN + 1)];
        for (int k = K_MIN; k <= K_MAX; k++) {
            int r = flog2pow10(-k) - 125;
            BigInteger pow = BigInteger.TEN.pow(Math.abs(k));
            BigInteger v;
            if (k <= 0) {
                v = r >= 0 ? pow.shiftRight(r) : pow.shiftLeft(-r); // 10^-k / 2^r
            } else {
                v = BigInteger.ONE.shiftLeft(-r).divide(pow);       // 2^-r / 10^k (r < 0 here)
            }
            v = v.add(BigInteger.ONE);
            g[2 * (k - K_MIN)] = v.shiftRight(63).longValueExact();
            g[2 * (k - K_MIN) + 1] = v.longValue() & MASK_63;
        }
        return g;
    }
}
