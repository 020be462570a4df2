package tally.forward.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.xerial.snappy.Snappy;

/** The buffers and the compression both versions share. */
abstract class AbstractEncoder implements RemoteWriteEncoder {
    private static final int INITIAL_BYTES = 64 << 10;
    /** Buffers one large request grew past this are replaced at the next request. */
    private static final int KEEP_BYTES = 8 << 20;

    final ProtoWriter out = new ProtoWriter(INITIAL_BYTES);
    private final Payload payload = new Payload();
    private byte[] compressed = new byte[INITIAL_BYTES];

    /** Readies the protobuf buffer for a new message. */
    final void start() {
        out.shrinkTo(KEEP_BYTES, INITIAL_BYTES);
        out.reset();
    }

    /** Compresses the message written to {@link #out} into the payload buffer. */
    final Payload finish(int series, int samples) {
        int rawLength = out.pos;
        int max = Snappy.maxCompressedLength(rawLength);
        if (compressed.length < max || compressed.length > Math.max(KEEP_BYTES, max)) {
            compressed = new byte[Math.max(max, INITIAL_BYTES)];
        }
        int n;
        try {
            n = Snappy.compress(out.buf, 0, rawLength, compressed, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("snappy compression failed", e);
        }
        payload.bytes = compressed;
        payload.length = n;
        payload.uncompressedLength = rawLength;
        payload.series = series;
        payload.samples = samples;
        return payload;
    }

    /** The uncompressed message of the last encode (tests, debugging). */
    final byte[] lastMessage() {
        return java.util.Arrays.copyOf(out.buf, out.pos);
    }
}
