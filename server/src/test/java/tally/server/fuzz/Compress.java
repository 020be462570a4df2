package tally.server.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/** Body encodings for the fuzzed requests. */
final class Compress {
    private Compress() {}

    static byte[] gzip(byte[] raw) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream(raw.length / 4 + 64);
            try (GZIPOutputStream z = new GZIPOutputStream(b)) {
                z.write(raw);
            }
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** zlib-wrapped ("deflate" per RFC 9110) or raw deflate, which some clients send. */
    static byte[] deflate(byte[] raw, boolean zlib) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream(raw.length / 4 + 64);
            Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, !zlib);
            try (DeflaterOutputStream z = new DeflaterOutputStream(b, d)) {
                z.write(raw);
            } finally {
                d.end();
            }
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The body in a Content-Encoding (null = as is). */
    static byte[] encode(String encoding, byte[] raw) {
        if (encoding == null) return raw;
        return switch (encoding) {
            case "gzip" -> gzip(raw);
            case "deflate" -> deflate(raw, true);
            default -> raw;
        };
    }
}
