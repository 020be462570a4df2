package tally.storage.store;

/**
 * A chunk as stored in the chunk map: a small header (zigzag varints minT - partition start and
 * maxT - minT) followed by the chunk bytes. The header lets a block still being written rebuild its
 * per-series time index from the map alone after a restart.
 */
final class ChunkValue {
    private ChunkValue() {}

    static long key(int seriesId, int seq) {
        return ((long) seriesId << 32) | (seq & 0xFFFFFFFFL);
    }

    static int seriesId(long key) { return (int) (key >>> 32); }

    static int seq(long key) { return (int) key; }

    static byte[] encode(long baseT, long minT, long maxT, byte[] chunk) {
        long a = zigzag(minT - baseT), b = zigzag(maxT - minT);
        int h = size(a) + size(b);
        byte[] out = new byte[h + chunk.length];
        int p = put(out, 0, a);
        put(out, p, b);
        System.arraycopy(chunk, 0, out, h, chunk.length);
        return out;
    }

    /** Length of the header, i.e. the offset of the chunk bytes. */
    static int headerLength(byte[] v) {
        int p = 0;
        while (v[p] < 0) p++;
        p++;
        while (v[p] < 0) p++;
        return p + 1;
    }

    /** {minT, maxT} from the header. */
    static long[] times(long baseT, byte[] v) {
        int[] pos = {0};
        long minT = baseT + unzigzag(get(v, pos));
        long maxT = minT + unzigzag(get(v, pos));
        return new long[] {minT, maxT};
    }

    private static long zigzag(long v) { return (v << 1) ^ (v >> 63); }

    private static long unzigzag(long u) { return (u >>> 1) ^ -(u & 1); }

    private static int size(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            n++;
            v >>>= 7;
        }
        return n;
    }

    private static int put(byte[] out, int p, long v) {
        while ((v & ~0x7FL) != 0) {
            out[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[p++] = (byte) v;
        return p;
    }

    private static long get(byte[] v, int[] pos) {
        long r = 0;
        int shift = 0;
        int p = pos[0];
        while (true) {
            byte b = v[p++];
            r |= (long) (b & 0x7F) << shift;
            if (b >= 0) break;
            shift += 7;
        }
        pos[0] = p;
        return r;
    }
}
