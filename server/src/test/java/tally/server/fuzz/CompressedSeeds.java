package tally.server.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Seeds for the Content-Encoding fuzz target, each with the Content-Encoding it is valid under: recorded bodies as
 * gzip, zlib and raw deflate; gzip split into concatenated members; gzip with every optional header field; and
 * bombs (10 MB of zeros, 50 MB in members) that inflate far past any body limit.
 */
final class CompressedSeeds {
    record Seed(String encoding, boolean json, byte[] bytes) {}

    private CompressedSeeds() {}

    static List<Seed> all() {
        List<Seed> out = new ArrayList<>();
        for (Seeds.Body b : Seeds.recorded()) {
            if (b.signal() != Seeds.Signal.METRICS) continue;
            out.add(new Seed("gzip", b.json(), Compress.gzip(b.bytes())));
            out.add(new Seed("deflate", b.json(), Compress.deflate(b.bytes(), true)));
            out.add(new Seed("deflate", b.json(), Compress.deflate(b.bytes(), false)));
            int half = b.bytes().length / 2;
            out.add(new Seed("gzip", b.json(), concat(Compress.gzip(Arrays.copyOf(b.bytes(), half)),
                    Compress.gzip(Arrays.copyOfRange(b.bytes(), half, b.bytes().length)))));
            out.add(new Seed("gzip", b.json(), gzipWithHeaderFields(b.bytes())));
        }
        byte[] zeros = new byte[10 << 20];
        out.add(new Seed("gzip", false, Compress.gzip(zeros)));
        out.add(new Seed("deflate", false, Compress.deflate(zeros, true)));
        out.add(new Seed("deflate", false, Compress.deflate(zeros, false)));
        byte[] member = Compress.gzip(zeros);
        out.add(new Seed("gzip", false, concat(concat(member, member), concat(concat(member, member), member)))); // 50 MB
        byte[] spaces = new byte[4 << 20];
        Arrays.fill(spaces, (byte) ' ');
        spaces[0] = '{';
        spaces[spaces.length - 1] = '}';
        out.add(new Seed("gzip", true, Compress.gzip(spaces))); // valid JSON, too large
        out.add(new Seed("gzip", false, Compress.gzip(new byte[0])));
        out.add(new Seed("deflate", false, Compress.deflate("{}".getBytes(StandardCharsets.UTF_8), true)));
        return out;
    }

    /** A gzip member with FTEXT, FHCRC, FEXTRA, FNAME and FCOMMENT set (RFC 1952), which decoders must skip. */
    static byte[] gzipWithHeaderFields(byte[] raw) {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0x1f, 0, 0, 0, 0, 0, (byte) 0xff});
        h.writeBytes(new byte[] {4, 0, 'a', 'b', 1, 0}); // XLEN 4: subfield "ab" of length 1
        h.write('x');
        h.writeBytes("name.pb\0".getBytes(StandardCharsets.ISO_8859_1));
        h.writeBytes("a comment\0".getBytes(StandardCharsets.ISO_8859_1));
        CRC32 headerCrc = new CRC32();
        headerCrc.update(h.toByteArray());
        long hcrc = headerCrc.getValue();
        h.write((int) hcrc);
        h.write((int) (hcrc >>> 8));
        h.writeBytes(Compress.deflate(raw, false));
        CRC32 crc = new CRC32();
        crc.update(raw);
        writeLe32(h, crc.getValue());
        writeLe32(h, raw.length);
        return h.toByteArray();
    }

    private static void writeLe32(ByteArrayOutputStream out, long v) {
        for (int i = 0; i < 4; i++) out.write((int) (v >>> (8 * i)));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
