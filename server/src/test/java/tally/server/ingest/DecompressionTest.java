package tally.server.ingest;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DecompressionTest {
    /** Found by fuzzing: a gzip header cut short was answered "cannot decompress body (gzip): null". */
    @Test
    void aTruncatedGzipHeaderIsRefusedWithAMessage() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write("{}".getBytes());
        }
        byte[] cut = Arrays.copyOf(b.toByteArray(), 6);
        IOException e = assertThrows(IOException.class, () -> Decompression.decode("gzip", cut, 1 << 20));
        assertEquals("gzip data ends too early", e.getMessage());
    }
}
