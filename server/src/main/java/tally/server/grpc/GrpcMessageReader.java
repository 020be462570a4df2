package tally.server.grpc;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;

/**
 * Reassembles the one request message of a unary call from DATA frames that need not line up with it
 * (gRPC's Length-Prefixed-Message: a compressed flag byte, a 4-byte big-endian length, the message).
 * The announced length is checked against the limit before anything is buffered, and the buffer grows with
 * the bytes that actually arrive: a sender that announces a large message and stalls holds only what it sent.
 */
final class GrpcMessageReader {
    /** One request message as sent: {@code compressed} says whether the grpc-encoding applies to it. */
    record Message(boolean compressed, byte[] bytes) {}

    private static final int PREFIX = 5;
    private static final int FIRST_CHUNK = 64 * 1024;

    private final int maxBytes;
    private final byte[] prefix = new byte[PREFIX];
    private int prefixRead;
    private int length = -1;
    private byte[] body;
    private int bodyRead;

    GrpcMessageReader(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Takes the bytes of one DATA frame (consuming them). */
    void add(ByteBuf data) throws GrpcStatus.Failure {
        while (data.isReadable()) {
            if (prefixRead < PREFIX) {
                int n = Math.min(PREFIX - prefixRead, data.readableBytes());
                data.readBytes(prefix, prefixRead, n);
                prefixRead += n;
                if (prefixRead == PREFIX) start();
            } else if (bodyRead == length) {
                throw new GrpcStatus.Failure(GrpcStatus.INTERNAL, "a unary call takes one request message, and more data followed it");
            } else {
                int n = Math.min(length - bodyRead, data.readableBytes());
                if (bodyRead + n > body.length) body = Arrays.copyOf(body, grown(bodyRead + n));
                data.readBytes(body, bodyRead, n);
                bodyRead += n;
            }
        }
    }

    /**
     * The next buffer size: all of the message when it fits in one more stream window (what a client may send
     * without waiting for us anyway), else twice what we have, so a typical export is copied once more, not once per
     * doubling, while a client that announces a large message and stalls costs no more than twice what it sent plus
     * one window.
     */
    private int grown(int needed) {
        long size = Math.max(2L * body.length, (long) needed + GrpcServer.STREAM_WINDOW_BYTES);
        return (int) Math.min(length, size);
    }

    private void start() throws GrpcStatus.Failure {
        int flag = prefix[0] & 0xff;
        if (flag > 1) throw new GrpcStatus.Failure(GrpcStatus.INTERNAL, "the compressed flag of a message must be 0 or 1, not " + flag);
        long announced = ((prefix[1] & 0xffL) << 24) | ((prefix[2] & 0xff) << 16) | ((prefix[3] & 0xff) << 8) | (prefix[4] & 0xff);
        if (announced > maxBytes) {
            throw new GrpcStatus.Failure(GrpcStatus.RESOURCE_EXHAUSTED, "request message of " + announced
                    + " bytes is larger than the limit of " + maxBytes + " bytes (--otlp.grpc.max-recv-msg-size)");
        }
        length = (int) announced;
        body = new byte[Math.min(length, FIRST_CHUNK)];
    }

    /** At the end of the request stream: the message, or why the request is malformed (INTERNAL, as grpc's runtimes do). */
    Message finish() throws GrpcStatus.Failure {
        if (prefixRead == 0) throw new GrpcStatus.Failure(GrpcStatus.INTERNAL, "the request ended without a message");
        if (prefixRead < PREFIX || bodyRead < length) {
            throw new GrpcStatus.Failure(GrpcStatus.INTERNAL, "the request ended in the middle of a message ("
                    + (prefixRead < PREFIX ? prefixRead + " of the 5 prefix bytes" : bodyRead + " of " + length + " bytes") + ")");
        }
        return new Message(prefix[0] == 1, body.length == length ? body : Arrays.copyOf(body, length));
    }
}
