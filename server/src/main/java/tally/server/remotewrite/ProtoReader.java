package tally.server.remotewrite;

/**
 * The protobuf wire primitives the remote-write 1.0 and 2.0 decoders read with: a buffer, a position in it, and
 * every read checked against the end of the message it belongs to. A base class rather than a helper object so
 * that the decoders' hot loops reach {@code buf} and {@code pos} as their own fields.
 */
abstract class ProtoReader {
    static final int VARINT = 0, FIXED64 = 1, LEN = 2, FIXED32 = 5;

    byte[] buf;
    int pos;

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
