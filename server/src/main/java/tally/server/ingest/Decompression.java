package tally.server.ingest;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;

/** Content-Encoding handling with a hard limit on the decompressed size (gzip bombs stop at the limit). */
public final class Decompression {
    private Decompression() {}

    /** Thrown for a Content-Encoding Tally does not speak. */
    public static final class UnsupportedEncodingException extends Exception {
        public UnsupportedEncodingException(String encoding) {
            super("unsupported Content-Encoding \"" + encoding + "\" (use gzip, deflate or identity)", null, false, false);
        }
    }

    public static byte[] decode(String contentEncoding, byte[] body, long limit)
            throws IOException, BodyTooLargeException, UnsupportedEncodingException {
        String enc = contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        switch (enc) {
            case "", "identity" -> {
                if (body.length > limit) throw new BodyTooLargeException(limit);
                return body;
            }
            case "gzip", "x-gzip" -> {
                try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body), 8192)) {
                    return readLimited(in, limit, body.length);
                } catch (EOFException e) {
                    // a header cut short ends in an EOFException without a message; the reply should say something
                    throw e.getMessage() == null ? new EOFException("gzip data ends too early") : e;
                }
            }
            case "deflate" -> {
                return inflate(body, limit);
            }
            default -> throw new UnsupportedEncodingException(contentEncoding);
        }
    }

    private static byte[] readLimited(InputStream in, long limit, int sizeHint) throws IOException, BodyTooLargeException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(limit, Math.max(1024, sizeHint * 4L)));
        byte[] buf = new byte[16384];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > limit) throw new BodyTooLargeException(limit);
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** "deflate" is zlib-wrapped per RFC 9110, but some clients send raw deflate: try both. */
    private static byte[] inflate(byte[] body, long limit) throws IOException, BodyTooLargeException {
        try {
            return inflate(body, limit, false);
        } catch (DataFormatException e) {
            try {
                return inflate(body, limit, true);
            } catch (DataFormatException e2) {
                throw new IOException("invalid deflate data: " + e2.getMessage());
            }
        }
    }

    private static byte[] inflate(byte[] body, long limit, boolean raw) throws DataFormatException, BodyTooLargeException, IOException {
        Inflater inf = new Inflater(raw);
        try {
            inf.setInput(body);
            byte[] out = new byte[(int) Math.min(limit + 1, Math.max(1024, body.length * 4L))];
            int len = 0;
            while (!inf.finished()) {
                if (len == out.length) {
                    if (out.length > limit) throw new BodyTooLargeException(limit);
                    out = Arrays.copyOf(out, (int) Math.min(limit + 1, (long) out.length * 2));
                }
                int n = inf.inflate(out, len, out.length - len);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    throw new IOException("truncated deflate data");
                }
                len += n;
                if (len > limit) throw new BodyTooLargeException(limit);
            }
            return Arrays.copyOf(out, len);
        } finally {
            inf.end();
        }
    }
}
