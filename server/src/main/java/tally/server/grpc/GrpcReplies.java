package tally.server.grpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;

import java.nio.charset.StandardCharsets;

/** The HEADERS and DATA of gRPC replies (grpc's PROTOCOL-HTTP2 "Responses"). */
final class GrpcReplies {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private GrpcReplies() {}

    /** Response-Headers: :status 200 and the gRPC content type; the status follows in the trailers. */
    static Http2Headers headers() {
        return new DefaultHttp2Headers().status(HttpResponseStatus.OK.codeAsText())
                .set("content-type", "application/grpc")
                .set("grpc-accept-encoding", GrpcCompression.ACCEPTED);
    }

    static Http2Headers trailers(GrpcStatus status) {
        return withStatus(new DefaultHttp2Headers(), status);
    }

    /** Trailers-Only: one HEADERS frame (with END_STREAM) for a call that fails before any reply message. */
    static Http2Headers trailersOnly(GrpcStatus status) {
        return withStatus(headers(), status);
    }

    private static Http2Headers withStatus(Http2Headers h, GrpcStatus status) {
        h.setInt("grpc-status", status.code());
        if (!status.message().isEmpty()) h.set("grpc-message", percentEncode(status.message()));
        return h;
    }

    /** A plain HTTP error for requests that are not gRPC at all (wrong content type or method). */
    static Http2Headers httpError(HttpResponseStatus status) {
        return new DefaultHttp2Headers().status(status.codeAsText()).set("content-type", "text/plain; charset=utf-8");
    }

    /** The reply message as one Length-Prefixed-Message, uncompressed. */
    static ByteBuf framed(byte[] message) {
        ByteBuf b = Unpooled.buffer(5 + message.length);
        b.writeByte(0).writeInt(message.length).writeBytes(message);
        return b;
    }

    /** grpc-message: UTF-8, then every byte outside printable ASCII (and '%' itself) as %XX. */
    static String percentEncode(String message) {
        StringBuilder sb = new StringBuilder(message.length());
        for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 0x20 && c <= 0x7e && c != '%') {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return sb.toString();
    }
}
