package tally.storage.chunk;

/** LEB128 varints on byte arrays (unsigned, and zigzag for signed), allocation-free. */
final class Varints {
    private Varints() {}

    static int size(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    static int put(byte[] b, int pos, long v) {
        while ((v & ~0x7FL) != 0) {
            b[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[pos++] = (byte) v;
        return pos;
    }

    static long get(byte[] b, int pos) {
        long r = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte x = b[pos++];
            r |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                return r;
            }
        }
        throw new IllegalArgumentException("corrupt chunk: varint too long");
    }

    /** Position just after the varint starting at {@code pos}. */
    static int skip(byte[] b, int pos) {
        for (int i = 0; i < 10; i++) {
            if (b[pos++] >= 0) {
                return pos;
            }
        }
        throw new IllegalArgumentException("corrupt chunk: varint too long");
    }

    static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static long unzigzag(long z) {
        return (z >>> 1) ^ -(z & 1);
    }
}
