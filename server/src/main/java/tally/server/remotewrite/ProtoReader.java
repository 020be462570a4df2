package tally.server.remotewrite;

import java.util.Arrays;

/**
 * The protobuf wire primitives the remote-write 1.0 and 2.0 decoders read with: a buffer, a position in it, and
 * every read checked against the end of the message it belongs to. A base class rather than a helper object so
 * that the decoders' hot loops reach {@code buf} and {@code pos} as their own fields.
 */
abstract class ProtoReader {
    static final int VARINT = 0, FIXED64 = 1, LEN = 2, FIXED32 = 5;

    byte[] buf;
    int pos;
    /** The current series' samples (both versions' Sample message: double value = 1, int64 timestamp = 2). */
    long[] ts = new long[64];
    double[] vs = new double[64];

    /** A field tag: field number above 0, within 32 bits. */
    final int readTag(int limit) throws ProtoException {
        long tag = readVarint64(limit);
        if (tag >>> 3 == 0 || tag > 0xFFFFFFFFL) throw new ProtoException("invalid field tag " + tag + " at byte " + pos);
        return (int) tag;
    }

    /** Reads the Sample message ending at {@code end} into {@code ts[i]} and {@code vs[i]}, growing them as needed. */
    final void readSample(int i, int end) throws ProtoException {
        if (i == ts.length) {
            ts = Arrays.copyOf(ts, i * 2);
            vs = Arrays.copyOf(vs, i * 2);
        }
        long t = 0;
        double v = 0;
        while (pos < end) {
            int tag = readTag(end);
            if (tag == (1 << 3 | FIXED64)) v = Double.longBitsToDouble(readFixed64(end));
            else if (tag == (2 << 3 | VARINT)) t = readVarint64(end);
            else skip(tag & 7, end);
        }
        ts[i] = t;
        vs[i] = v;
    }

    final long readVarint64(int limit) throws ProtoException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= limit) throw new ProtoException("truncated varint");
            byte b = buf[pos++];
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) return result;
        }
        throw new ProtoException("malformed varint");
    }

    /** A length-delimited field's length, which must fit before {@code limit}. */
    final int readLength(int limit) throws ProtoException {
        long len = readVarint64(limit);
        // len > limit - pos, not pos + len > limit: a length near Long.MAX_VALUE would overflow that sum and pass
        if (len < 0 || len > limit - pos) throw new ProtoException("truncated message: field length " + len + " runs past the end");
        return (int) len;
    }

    /** A little-endian fixed64 (a double's bits, or an sfixed64). */
    final long readFixed64(int limit) throws ProtoException {
        if (pos + 8 > limit) throw new ProtoException("truncated fixed64");
        long v = 0;
        for (int i = 7; i >= 0; i--) v = (v << 8) | (buf[pos + i] & 0xffL);
        pos += 8;
        return v;
    }

    /** Steps over a field this decoder does not read. */
    final void skip(int wire, int limit) throws ProtoException {
        switch (wire) {
            case VARINT -> readVarint64(limit);
            case FIXED64 -> {
                if (pos + 8 > limit) throw new ProtoException("truncated fixed64");
                pos += 8;
            }
            case LEN -> {
                int len = readLength(limit); // read before adding: pos moves past the length varint
                pos += len;
            }
            case FIXED32 -> {
                if (pos + 4 > limit) throw new ProtoException("truncated fixed32");
                pos += 4;
            }
            default -> throw new ProtoException("unsupported wire type " + wire);
        }
    }
}
