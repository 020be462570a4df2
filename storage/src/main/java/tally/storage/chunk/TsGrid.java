package tally.storage.chunk;

import java.util.Arrays;

/**
 * Sealed timestamp layout for series that skip intervals: every delta is q * base + r, with q the nearest
 * whole number of intervals and r the small remainder (export drift), both in Exp-Golomb codes whose
 * parameters the chunk picks (0 = Elias gamma: one interval and a zero remainder cost one bit each).
 * Claude Code's default delta temporality exports a series only in intervals where it changed, so its
 * deltas are 1, 2, 5 ... intervals plus a few ms; frame of reference would pay for the largest gap on
 * every sample. Layout: docs/chunk-format.md, "Interval grid (mode 4)".
 */
final class TsGrid {
    static final long MAX_DELTA = 1L << 62;

    static final int MAX_K = 7;

    long base;
    boolean signed;
    int kq;
    int kr;
    int bits;
    /** Bytes of the whole section, or Integer.MAX_VALUE when the layout cannot hold the chunk. */
    int size;

    private final long[] qBits = new long[MAX_K + 1];
    private final long[] rBits = new long[MAX_K + 1];

    /**
     * The smaller of two plans, made in the two reusable instances {@code best} and {@code other}: base = the
     * smallest delta, or the smallest delta except the last one (a client's final flush at exit lands a
     * fraction of an interval after the previous export).
     */
    static TsGrid plan(long[] t, int n, TsGrid best, TsGrid other) {
        best.size = Integer.MAX_VALUE;
        long min = Long.MAX_VALUE;
        long minButLast = Long.MAX_VALUE;
        for (int i = 1; i < n; i++) {
            long d = t[i] - t[i - 1];
            if (d <= 0 || d >= MAX_DELTA) {
                return best; // overflowed or gigantic deltas: other layouts handle them
            }
            min = Math.min(min, d);
            if (i < n - 1) {
                minButLast = d < minButLast ? d : minButLast;
            }
        }
        if (n < 2) {
            min = 0;
        }
        best.sizeFor(t, n, min);
        if (minButLast != Long.MAX_VALUE && minButLast != min) {
            other.sizeFor(t, n, minButLast);
            if (other.size < best.size) {
                return other;
            }
        }
        return best;
    }

    /**
     * A lower bound of {@link #plan}'s size: one byte each for base, flags and L, and at least 2 bits per delta.
     * When another layout is no larger, the grid cannot win (it is chosen only when strictly smaller).
     */
    static int minSize(int n) {
        return 3 + ((2 * Math.max(n - 1, 0) + 7) >>> 3);
    }

    private void sizeFor(long[] t, int n, long b) {
        base = b;
        signed = false;
        for (int i = 1; i < n; i++) {
            if (remainder(t[i] - t[i - 1]) < 0) {
                signed = true;
                break;
            }
        }
        // the two codes' lengths add up, so each parameter is chosen on its own
        Arrays.fill(qBits, 0);
        Arrays.fill(rBits, 0);
        for (int i = 1; i < n; i++) {
            long d = t[i] - t[i - 1];
            long q = qCode(quotient(d)) - 1;
            long r = rCode(remainder(d)) - 1;
            for (int k = 0; k <= MAX_K; k++) {
                qBits[k] += expGolombLen(q, k);
                rBits[k] += expGolombLen(r, k);
            }
        }
        kq = argMin(qBits);
        kr = argMin(rBits);
        long total = qBits[kq] + rBits[kr];
        if (total >= Integer.MAX_VALUE) {
            size = Integer.MAX_VALUE;
            return;
        }
        bits = (int) total;
        int bytes = (bits + 7) >>> 3;
        size = Varints.size(ChunkSealer.TsFor.packBase(base)) + 1 + Varints.size(bytes) + bytes;
    }

    private static int argMin(long[] a) {
        int best = 0;
        for (int k = 1; k < a.length; k++) {
            if (a[k] < a[best]) {
                best = k;
            }
        }
        return best;
    }

    /** Exp-Golomb code of x >= 0 with parameter k: gamma((x >> k) + 1), then the low k bits. */
    static int expGolombLen(long x, int k) {
        return BitWriter.gammaLen((x >>> k) + 1) + k;
    }

    static void writeExpGolomb(BitWriter b, long x, int k) {
        b.writeGamma((x >>> k) + 1);
        b.write(x, k);
    }

    static long readExpGolomb(BitReader r, int k) {
        long high = r.readGamma() - 1;
        return k == 0 ? high : high << k | r.read(k);
    }

    private long quotient(long d) {
        return base == 0 ? 0 : (d + base / 2) / base;
    }

    private long remainder(long d) {
        return d - quotient(d) * base;
    }

    /** One interval is the common case (code 1, the shortest); 0 (the final flush) comes next. */
    static long qCode(long q) {
        return q == 1 ? 1 : q == 0 ? 2 : q + 1;
    }

    static long qFromCode(long c) {
        return c == 1 ? 1 : c == 2 ? 0 : c - 1;
    }

    private long rCode(long r) {
        return (signed ? Varints.zigzag(r) : r) + 1;
    }

    int write(byte[] out, int p, long[] t, int n, BitWriter b) {
        p = Varints.put(out, p, ChunkSealer.TsFor.packBase(base));
        out[p++] = (byte) ((signed ? 1 : 0) | kr << 1 | kq << 4);
        b.reset();
        for (int i = 1; i < n; i++) {
            long d = t[i] - t[i - 1];
            writeExpGolomb(b, qCode(quotient(d)) - 1, kq);
            writeExpGolomb(b, rCode(remainder(d)) - 1, kr);
        }
        p = Varints.put(out, p, b.byteLen());
        return b.copyTo(out, p);
    }
}
