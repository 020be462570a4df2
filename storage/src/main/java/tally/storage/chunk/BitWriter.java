package tally.storage.chunk;

import java.util.Arrays;

/**
 * Append-only MSB-first bit buffer. Bits already written never change: the last partial byte is
 * only OR-ed into, and growing copies into a new array, so a reader holding the old array (and a bit
 * count taken under the caller's lock) keeps seeing exactly its snapshot while writing continues.
 */
final class BitWriter {
    /** Spare bytes past the written bits so readers can load 8-9 bytes at once without bounds checks. */
    static final int SLACK = 9;
    private static final byte[] EMPTY = new byte[0];

    byte[] buf;
    int bitLen;
    /** Set when a reader may hold {@link #buf}: then reset() must not clear it in place. */
    boolean shared;

    BitWriter() {
        buf = EMPTY;
    }

    int byteLen() {
        return (bitLen + 7) >>> 3;
    }

    void reset() {
        if (shared) {
            buf = EMPTY;
            shared = false;
        } else {
            Arrays.fill(buf, 0, Math.min(buf.length, byteLen()), (byte) 0);
        }
        bitLen = 0;
    }

    void writeBit(int bit) {
        ensure(bitLen + 1);
        if (bit != 0) {
            buf[bitLen >>> 3] |= (byte) (0x80 >>> (bitLen & 7));
        }
        bitLen++;
    }

    /** Writes the low {@code nbits} (0..64) of {@code value}, most significant first. */
    void write(long value, int nbits) {
        if (nbits == 0) {
            return;
        }
        ensure(bitLen + nbits);
        if (nbits < 64) {
            value &= (1L << nbits) - 1;
        }
        int idx = bitLen >>> 3;
        int free = 8 - (bitLen & 7);
        bitLen += nbits;
        if (nbits <= free) {
            buf[idx] |= (byte) (value << (free - nbits));
            return;
        }
        nbits -= free;
        buf[idx++] |= (byte) (value >>> nbits);
        while (nbits >= 8) {
            nbits -= 8;
            buf[idx++] = (byte) (value >>> nbits);
        }
        if (nbits > 0) {
            buf[idx] = (byte) (value << (8 - nbits));
        }
    }

    /** Elias gamma code of x >= 1: z zero bits, then x in z + 1 bits, where z = floor(log2 x). */
    void writeGamma(long x) {
        int z = 63 - Long.numberOfLeadingZeros(x);
        write(0, Math.min(z, 32));
        write(0, z - Math.min(z, 32));
        write(x, z + 1);
    }

    /** Bits of the Elias gamma code of x >= 1. */
    static int gammaLen(long x) {
        return 2 * (63 - Long.numberOfLeadingZeros(x)) + 1;
    }

    /** Copies the written bytes (last byte zero-padded) to {@code dst} at {@code off}; returns the new offset. */
    int copyTo(byte[] dst, int off) {
        int n = byteLen();
        System.arraycopy(buf, 0, dst, off, n);
        return off + n;
    }

    private void ensure(int bits) {
        int need = ((bits + 7) >>> 3) + SLACK;
        if (need > buf.length) {
            // 1.5x growth keeps an open chunk's memory close to its encoded size (100k+ open series).
            int cap = Math.max(need, buf.length + (buf.length >>> 1));
            cap = Math.max(cap, 24);
            buf = Arrays.copyOf(buf, cap);
            shared = false;
        }
    }
}
