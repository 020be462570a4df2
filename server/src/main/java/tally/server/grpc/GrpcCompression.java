package tally.server.grpc;

import tally.server.ingest.BodyTooLargeException;
import tally.server.ingest.Decompression;

import java.io.IOException;
import java.util.Locale;

/** The grpc-encoding of a request: which ones Tally reads, and a message's bytes decompressed under the size limit. */
final class GrpcCompression {
    /** What Tally reads (grpc-accept-encoding of its replies); Claude Code offers identity, deflate and gzip. */
    static final String ACCEPTED = "gzip,deflate,identity";

    private GrpcCompression() {}

    /** The request's grpc-encoding, lower-cased; "identity" when absent. */
    static String of(CharSequence header) {
        return header == null ? "identity" : header.toString().trim().toLowerCase(Locale.ROOT);
    }

    static boolean supported(String encoding) {
        return encoding.equals("identity") || encoding.equals("gzip") || encoding.equals("deflate");
    }

    /**
     * The protobuf bytes of a message: as sent when its compressed flag is 0, else inflated as a capped stream
     * (a small message that inflates past the limit stops there). Flag 1 without a real encoding is the protocol
     * error grpc's compression spec names: INTERNAL.
     */
    static byte[] decode(String encoding, GrpcMessageReader.Message message, int maxBytes) throws GrpcStatus.Failure {
        if (!message.compressed()) return message.bytes();
        if (encoding.equals("identity")) {
            throw new GrpcStatus.Failure(GrpcStatus.INTERNAL, "the message's compressed flag is set but the request has no grpc-encoding");
        }
        try {
            return Decompression.decode(encoding, message.bytes(), maxBytes);
        } catch (BodyTooLargeException e) {
            throw new GrpcStatus.Failure(GrpcStatus.RESOURCE_EXHAUSTED, "request message is larger than the limit of " + maxBytes
                    + " bytes after " + encoding + " decompression (--otlp.grpc.max-recv-msg-size)");
        } catch (IOException e) {
            throw new GrpcStatus.Failure(GrpcStatus.INVALID_ARGUMENT, "cannot decompress the " + encoding + " message: " + e.getMessage());
        } catch (Decompression.UnsupportedEncodingException e) {
            throw new IllegalStateException("checked by supported() when the headers arrived", e);
        }
    }
}
