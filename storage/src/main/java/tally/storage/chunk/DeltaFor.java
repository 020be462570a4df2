package tally.storage.chunk;

/**
 * Frame of reference over integer deltas d[1..n-1]: the smallest delta plus fixed-width offsets, or with zero
 * flags '0' for a zero delta and '1' + offset from the smallest non-zero delta. Shared by the sealed decimal
 * (VAL_DEC_FOR) and float-sum (VAL_SUM_FOR) value sections.
 */
final class DeltaFor {
    long minD;
    int width;
    boolean zeroFlags;
    /** Bytes of the minD varint, the width byte and the bits. */
    int size;

    static DeltaFor plan(long[] d, int n) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        long minNz = Long.MAX_VALUE;
        long maxNz = Long.MIN_VALUE;
        int zeros = 0;
        for (int i = 1; i < n; i++) {
            long x = d[i];
            min = Math.min(min, x);
            max = Math.max(max, x);
            if (x == 0) {
                zeros++;
            } else {
                minNz = Math.min(minNz, x);
                maxNz = Math.max(maxNz, x);
            }
        }
        DeltaFor c = new DeltaFor();
        if (n <= 1) {
            min = max = 0;
        }
        int plainWidth = 64 - Long.numberOfLeadingZeros(max - min);
        long plainBits = (long) (n - 1) * plainWidth;
        long flagBits = Long.MAX_VALUE;
        int nzWidth = 0;
        if (zeros < n - 1) {
            nzWidth = 64 - Long.numberOfLeadingZeros(maxNz - minNz);
            flagBits = (n - 1) + (long) (n - 1 - zeros) * nzWidth;
        } else if (n > 1) {
            flagBits = n - 1;
            minNz = 0;
        }
        if (flagBits < plainBits) {
            c.zeroFlags = true;
            c.minD = minNz;
            c.width = nzWidth;
        } else {
            c.minD = min;
            c.width = plainWidth;
        }
        long bits = c.zeroFlags ? flagBits : plainBits;
        c.size = Varints.size(Varints.zigzag(c.minD)) + 1 + (int) ((bits + 7) >>> 3);
        return c;
    }

    /** Writes minD, the width byte and the bits; returns the end offset. */
    int write(byte[] out, int p, long[] d, int n, BitWriter b) {
        p = Varints.put(out, p, Varints.zigzag(minD));
        out[p++] = (byte) (width | (zeroFlags ? 0x80 : 0));
        b.reset();
        for (int i = 1; i < n; i++) {
            long x = d[i];
            if (zeroFlags) {
                if (x == 0) {
                    b.writeBit(0);
                    continue;
                }
                b.writeBit(1);
            }
            b.write(x - minD, width);
        }
        return b.copyTo(out, p);
    }
}
