package tally.server.events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/** Request bodies as senders compress them (Content-Encoding gzip, deflate). */
final class Compress {
    private Compress() {}

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write(raw);
        }
        return b.toByteArray();
    }

    static byte[] deflate(byte[] raw) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(b)) {
            z.write(raw);
        }
        return b.toByteArray();
    }
}
