package tally.storage.chunk;

/**
 * Prefix codes for timestamp delta-of-deltas: '0' means 0, then '10', '110', '1110' select a signed
 * field of the mode's widths, and '1111' a raw 64-bit value.
 */
final class TimestampCodes {
    /** Prometheus's millisecond buckets. */
    static final int[] PROM_WIDTHS = {0, 14, 17, 20, 64};
    /** Small buckets: a few ms of jitter costs 6 bits instead of 16. */
    static final int[] FINE_WIDTHS = {0, 4, 8, 17, 64};

    private TimestampCodes() {}

    static int[] widths(int tsMode) {
        return tsMode == ChunkEncodings.TS_DOD_PROM ? PROM_WIDTHS : FINE_WIDTHS;
    }

    static void write(BitWriter w, long dod, int[] widths) {
        if (dod == 0) {
            w.writeBit(0);
            return;
        }
        for (int k = 1; k < 4; k++) {
            int bits = widths[k];
            long lim = 1L << (bits - 1);
            if (dod >= -lim && dod < lim) {
                // prefix of k ones and a zero, then the two's complement field, in one write
                long prefix = (1L << (k + 1)) - 2;
                w.write(prefix << bits | (dod & ((1L << bits) - 1)), k + 1 + bits);
                return;
            }
        }
        w.write(0xF, 4);
        w.write(dod, 64);
    }

    /** Bits {@link #write} would use. */
    static int size(long dod, int[] widths) {
        if (dod == 0) {
            return 1;
        }
        for (int k = 1; k < 4; k++) {
            long lim = 1L << (widths[k] - 1);
            if (dod >= -lim && dod < lim) {
                return k + 1 + widths[k];
            }
        }
        return 68;
    }

    static long read(BitReader r, int[] widths) {
        long p = r.peek64();
        if (p >= 0) {
            r.pos += 1;
            return 0;
        }
        int ones = Long.numberOfLeadingZeros(~p);
        if (ones < 4) {
            int bits = widths[ones];
            r.pos += ones + 1 + bits;
            return (p << (ones + 1)) >> (64 - bits); // arithmetic shift sign-extends the field
        }
        r.pos += 4;
        return r.read(64);
    }
}
