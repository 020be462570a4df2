package tally.storage.chunk;

/**
 * O(1) reads of a sealed chunk's header without decoding samples. The header is
 * {@code id, uvarint n, zigzag-varint minT, uvarint (maxT - minT)}: at most 31 bytes to skip.
 * An empty chunk reports minT = Long.MAX_VALUE and maxT = Long.MIN_VALUE (an empty time range).
 * A chunk with external timestamps ({@link ChunkEncodings#TS_EXTERNAL}) has no times in its header:
 * its block's index holds them.
 */
public final class ChunkHeader {
    private ChunkHeader() {}

    public static int numSamples(byte[] c, int off, int len) {
        if (len < 2) {
            return 0;
        }
        return (int) Varints.get(c, off + 1);
    }

    public static long minT(byte[] c, int off, int len) {
        if (numSamples(c, off, len) == 0) {
            return Long.MAX_VALUE;
        }
        requireOwnTimes(c, off);
        return Varints.unzigzag(Varints.get(c, Varints.skip(c, off + 1)));
    }

    public static long maxT(byte[] c, int off, int len) {
        if (numSamples(c, off, len) == 0) {
            return Long.MIN_VALUE;
        }
        requireOwnTimes(c, off);
        int p = Varints.skip(c, off + 1);
        long lo = Varints.unzigzag(Varints.get(c, p));
        return lo + Varints.get(c, Varints.skip(c, p));
    }

    private static void requireOwnTimes(byte[] c, int off) {
        if (ChunkEncodings.tsMode(c[off] & 0xFF) == ChunkEncodings.TS_EXTERNAL) {
            throw new IllegalArgumentException("chunk with external timestamps has no times in its header");
        }
    }
}
