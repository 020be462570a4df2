package tally.server.remotewrite;

import io.netty.buffer.ByteBuf;
import org.xerial.snappy.Snappy;

import java.io.IOException;
import tally.server.ingest.BodyTooLargeException;

/**
 * Decompresses a snappy request body into a buffer kept for the next request on the same thread,
 * instead of copying the body into a fresh array and decompressing into another one. Buffers that
 * grew past {@link #KEEP_BYTES} for one large request are not kept.
 */
final class SnappyBuffers {
    static final int KEEP_BYTES = 4 << 20;

    private byte[] compressed = new byte[64 << 10];
    private byte[] raw = new byte[512 << 10];
    private byte[] lastRaw;

    /** The decompressed bytes of the last {@link #uncompress} (valid until {@link #done}). */
    byte[] raw() { return lastRaw; }

    /** Forgets the last body, so a one-off oversized buffer is not pinned by the thread. */
    void done() { lastRaw = null; }

    /** Decompresses the body; returns the decompressed length. */
    int uncompress(ByteBuf body, long maxBytes) throws IOException, BodyTooLargeException {
        int len = body.readableBytes();
        if (len == 0) throw new IOException("empty body");
        byte[] in;
        int off;
        if (body.hasArray()) {
            in = body.array();
            off = body.arrayOffset() + body.readerIndex();
        } else {
            in = len <= compressed.length ? compressed : new byte[len];
            if (in != compressed && len <= KEEP_BYTES) compressed = in;
            body.getBytes(body.readerIndex(), in, 0, len);
            off = 0;
        }
        int size = Snappy.uncompressedLength(in, off, len); // from the block header: checked before allocating
        if (size < 0 || size > maxBytes) {
            throw new BodyTooLargeException("decompressed body of " + Integer.toUnsignedString(size) + " bytes exceeds the limit of " + maxBytes);
        }
        if (!Snappy.isValidCompressedBuffer(in, off, len)) throw new IOException("invalid snappy block");
        byte[] out = size <= raw.length ? raw : new byte[size];
        if (out != raw && size <= KEEP_BYTES) raw = out;
        int n = Snappy.uncompress(in, off, len, out, 0);
        if (n != size) throw new IOException("decompressed " + n + " bytes, header said " + size);
        lastRaw = out;
        return n;
    }
}
