package tally.server.grpc;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The unary message reader over any split of the bytes, and grpc-timeout values. */
class GrpcFramingTest {

    @Test
    void messageReassembledFromAnySplit() throws Exception {
        byte[] message = new byte[300_000]; // larger than the reader's first buffer: it grows
        new Random(1).nextBytes(message);
        byte[] wire = H2Client.frame(true, message);
        for (int chunk : new int[] {1, 3, 5, 4096, wire.length}) {
            GrpcMessageReader r = new GrpcMessageReader(1 << 20);
            for (int off = 0; off < wire.length; off += chunk) {
                r.add(Unpooled.wrappedBuffer(wire, off, Math.min(chunk, wire.length - off)));
            }
            GrpcMessageReader.Message m = r.finish();
            assertTrue(m.compressed());
            assertArrayEquals(message, m.bytes(), "chunk " + chunk);
        }
    }

    @Test
    void limitIsCheckedOnTheAnnouncedLength() throws Exception {
        GrpcMessageReader r = new GrpcMessageReader(100);
        r.add(Unpooled.wrappedBuffer(H2Client.frame(false, new byte[100])));
        assertEquals(100, r.finish().bytes().length, "exactly the limit is fine");
        GrpcMessageReader over = new GrpcMessageReader(100);
        GrpcStatus.Failure f = assertThrows(GrpcStatus.Failure.class, () -> over.add(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 0, 101})));
        assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, f.status.code());
        GrpcMessageReader huge = new GrpcMessageReader(100);
        f = assertThrows(GrpcStatus.Failure.class, () -> huge.add(Unpooled.wrappedBuffer(new byte[] {0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff})));
        assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, f.status.code(), "lengths past 2^31 are unsigned, not negative");
        GrpcMessageReader badFlag = new GrpcMessageReader(100);
        f = assertThrows(GrpcStatus.Failure.class, () -> badFlag.add(Unpooled.wrappedBuffer(new byte[] {2, 0, 0, 0, 1})));
        assertEquals(GrpcStatus.INTERNAL, f.status.code());
    }

    @Test
    void grpcTimeout() {
        assertEquals(9999, GrpcTimeout.millis("9999m")); // Claude Code's
        assertEquals(2 * 3_600_000L, GrpcTimeout.millis("2H"));
        assertEquals(90_000, GrpcTimeout.millis("90S"));
        assertEquals(3 * 60_000, GrpcTimeout.millis("3M"));
        assertEquals(1, GrpcTimeout.millis("1n"), "rounded up to a millisecond");
        assertEquals(5, GrpcTimeout.millis("5000u"));
        assertEquals(-1, GrpcTimeout.millis(null));
        assertEquals(-1, GrpcTimeout.millis("123456789S"), "more than 8 digits");
        assertEquals(-1, GrpcTimeout.millis("10x"));
        assertEquals(-1, GrpcTimeout.millis("S"));
    }
}
