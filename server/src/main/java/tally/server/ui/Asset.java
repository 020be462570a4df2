package tally.server.ui;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/**
 * One static file of the page, read once from the class path: its bytes, a gzip copy (kept only when it is
 * smaller), its content type and an ETag derived from the content, so a browser revalidates for free.
 */
record Asset(String contentType, byte[] body, byte[] gzipped, String etag) {

    static Asset of(String name, byte[] body) {
        byte[] gz = compressible(name) ? gzip(body) : null;
        if (gz != null && gz.length >= body.length) gz = null;
        return new Asset(ContentTypes.of(name), body, gz, "\"" + hash(body) + "\"");
    }

    private static boolean compressible(String name) {
        return ContentTypes.of(name).startsWith("text/") || name.endsWith(".js") || name.endsWith(".json")
                || name.endsWith(".svg");
    }

    private static byte[] gzip(byte[] body) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 3 + 64);
            try (GZIPOutputStream z = new GZIPOutputStream(out)) {
                z.write(body);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hash(byte[] body) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(body);
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return new String(body, 0, Math.min(body.length, 40), StandardCharsets.UTF_8);
    }
}
