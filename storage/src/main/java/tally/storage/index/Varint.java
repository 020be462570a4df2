package tally.storage.index;

import java.nio.ByteBuffer;

/** LEB128 unsigned varints and zigzag signed varints, written to a {@link ByteSink} and read from buffers. */
public final class Varint {
    private Varint() {}

    public static void putUnsigned(ByteSink out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
    }

    public static void putSigned(ByteSink out, long v) {
        putUnsigned(out, (v << 1) ^ (v >> 63));
    }

    public static long zigzagDecode(long u) {
        return (u >>> 1) ^ -(u & 1);
    }

    /** Reads an unsigned varint at pos[0] of buf (absolute), advancing pos[0]. */
    public static long getUnsigned(ByteBuffer buf, int[] pos) {
        int p = pos[0];
        long result = 0;
        int shift = 0;
        while (true) {
            byte b = buf.get(p++);
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) break;
            shift += 7;
        }
        pos[0] = p;
        return result;
    }

    /** Same over a byte array. */
    public static long getUnsigned(byte[] buf, int[] pos) {
        int p = pos[0];
        long result = 0;
        int shift = 0;
        while (true) {
            byte b = buf[p++];
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) break;
            shift += 7;
        }
        pos[0] = p;
        return result;
    }
}
