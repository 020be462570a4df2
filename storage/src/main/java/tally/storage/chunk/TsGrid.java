package tally.storage.chunk;

/**
 * Sealed timestamp layout for series that skip intervals: every delta is q * base + r, with q the nearest
 * whole number of intervals and r the small remainder (export drift), both in Elias gamma codes.
 * Claude Code's default delta temporality exports a series only in intervals where it changed, so its
 * deltas are 1, 2, 5 ... intervals plus a few ms; frame of reference would pay for the largest gap on
 * every sample. Layout: docs/chunk-format.md, "Interval grid (mode 4)".
 */
final class TsGrid {
    static final long MAX_DELTA = 1L << 62;

    long base;
    boolean signed;
    int bits;
    /** Bytes of the whole section, or Integer.MAX_VALUE when the layout cannot hold the chunk. */
    int size;

    /**
     * The smaller of two plans: base = the smallest delta, or the smallest delta except the last one
     * (a client's final flush at exit lands a fraction of an interval after the previous export).
     */
    static TsGrid plan(long[] t, int n) {
        TsGrid best = new TsGrid();
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
            TsGrid other = new TsGrid();
            other.sizeFor(t, n, minButLast);
            if (other.size < best.size) {
                return other;
            }
        }
        return best;
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
        long total = 0;
        for (int i = 1; i < n; i++) {
            long d = t[i] - t[i - 1];
            total += BitWriter.gammaLen(qCode(quotient(d))) + BitWriter.gammaLen(rCode(remainder(d)));
        }
        if (total >= Integer.MAX_VALUE) {
            size = Integer.MAX_VALUE;
            return;
        }
        bits = (int) total;
        int bytes = (bits + 7) >>> 3;
        size = Varints.size(ChunkSealer.TsFor.packBase(base)) + 1 + Varints.size(bytes) + bytes;
    }

    private long quotient(long d) {
        return base == 0 ? 0 : (d + base / 2) / base;
    }

    private long remainder(long d) {
        return d - quotient(d) * base;
    }

    /** One interval is the common case and costs one bit; 0 (the final flush) costs three. */
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
        out[p++] = (byte) (signed ? 1 : 0);
        b.reset();
        for (int i = 1; i < n; i++) {
            long d = t[i] - t[i - 1];
            b.writeGamma(qCode(quotient(d)));
            b.writeGamma(rCode(remainder(d)));
        }
        p = Varints.put(out, p, b.byteLen());
        return b.copyTo(out, p);
    }
}
