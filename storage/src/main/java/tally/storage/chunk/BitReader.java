package tally.storage.chunk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** MSB-first bit cursor over a byte array; reads up to 64 bits with one 8-byte load in the common case. */
final class BitReader {
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    byte[] buf;
    /** Absolute bit position in {@link #buf}. */
    int pos;

    void reset(byte[] buf, int bitPos) {
        this.buf = buf;
        this.pos = bitPos;
    }

    int readBit() {
        int b = buf[pos >>> 3] >>> (7 - (pos & 7));
        pos++;
        return b & 1;
    }

    /** Reads {@code n} bits (0..64) as an unsigned value. */
    long read(int n) {
        if (n == 0) {
            return 0;
        }
        long r = peek64() >>> (64 - n);
        pos += n;
        return r;
    }

    /** The next 64 bits starting at {@link #pos} (zero past the end of the array), without advancing. */
    long peek64() {
        int idx = pos >>> 3;
        int sh = pos & 7;
        byte[] b = buf;
        if (idx + 9 <= b.length) {
            long w = (long) LONG_BE.get(b, idx);
            if (sh == 0) {
                return w;
            }
            return (w << sh) | ((b[idx + 8] & 0xFFL) >>> (8 - sh));
        }
        return slowPeek64(idx, sh);
    }

    /** Reads an Elias gamma code (see BitWriter#writeGamma); values below 2^31 in one peek. */
    long readGamma() {
        long p = peek64();
        int z = Long.numberOfLeadingZeros(p);
        if (z < 32) {
            int len = 2 * z + 1;
            pos += len;
            return p >>> (64 - len);
        }
        z = 0;
        while (readBit() == 0) {
            if (++z > 63) {
                throw new IllegalStateException("corrupt chunk: gamma code");
            }
        }
        return (1L << z) | read(z);
    }

    void skip(int n) {
        pos += n;
    }

    private long slowPeek64(int idx, int sh) {
        long w = 0;
        for (int i = 0; i < 9; i++) {
            int j = idx + i;
            long v = j < buf.length ? buf[j] & 0xFFL : 0;
            if (i < 8) {
                w = (w << 8) | v;
            } else if (sh != 0) {
                w = (w << sh) | (v >>> (8 - sh));
            }
        }
        return w;
    }
}
