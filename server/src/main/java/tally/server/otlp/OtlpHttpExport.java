package tally.server.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import tally.server.http.Request;
import tally.server.http.Response;
import tally.server.ingest.BodyTooLargeException;
import tally.server.ingest.Decompression;
import tally.server.ingest.IngestLimiter;
import tally.server.ingest.IngestOutcome;

import java.io.IOException;

/**
 * The steps every OTLP/HTTP signal handler (metrics, logs) shares around its own ingest: the encoding from
 * Content-Type (415 when unknown), admission (429/503 + Retry-After before anything is decoded), decompression
 * within the size limit (413, 415, 400), and the reply for an {@link IngestOutcome}.
 */
public final class OtlpHttpExport {
    /** The signal's own part: decode the decompressed body and ingest it. */
    @FunctionalInterface
    public interface Ingest {
        Response ingest(byte[] body, OtlpEncoding enc);
    }

    /** The signal's success reply (its Export*ServiceResponse, partial_success when {@code rejected > 0}). */
    @FunctionalInterface
    public interface Success {
        Response reply(OtlpEncoding enc, long rejected, String message);
    }

    /** Asked before anything is decompressed or decoded: null to go ahead (then released), else why to wait. */
    public interface Admission {
        IngestLimiter.Refusal tryAdmit();

        void release();
    }

    private OtlpHttpExport() {}

    /** The limiter's admission for one protocol (its in-flight count and overload answers). */
    public static Admission admission(IngestLimiter limiter, String protocol) {
        return new Admission() {
            @Override
            public IngestLimiter.Refusal tryAdmit() {
                return limiter.tryAdmit(protocol);
            }

            @Override
            public void release() {
                limiter.release();
            }
        };
    }

    public static Response receive(Request req, Admission admission, long maxBodyBytes, Ingest ingest) {
        OtlpEncoding enc = OtlpEncoding.of(req.header(HttpHeaderNames.CONTENT_TYPE.toString()));
        if (enc == null) {
            return OtlpReplies.status(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, OtlpEncoding.PROTOBUF, OtlpReplies.INVALID_ARGUMENT,
                    "unsupported Content-Type \"" + req.header("Content-Type") + "\": use application/x-protobuf or application/json");
        }
        IngestLimiter.Refusal refused = admission.tryAdmit();
        if (refused != null) {
            // both are retryable per the OTLP/HTTP spec; 429 says "too many requests", 503 "catching up"
            return OtlpReplies.status(refused.inFlight() ? HttpResponseStatus.TOO_MANY_REQUESTS : HttpResponseStatus.SERVICE_UNAVAILABLE,
                    enc, refused.inFlight() ? OtlpReplies.RESOURCE_EXHAUSTED : OtlpReplies.UNAVAILABLE, refused.message())
                    .header("Retry-After", refused.retryAfter());
        }
        try {
            byte[] body;
            try {
                body = Decompression.decode(req.header("Content-Encoding"), req.bodyBytes(), maxBodyBytes);
            } catch (BodyTooLargeException e) {
                return OtlpReplies.status(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, enc, OtlpReplies.RESOURCE_EXHAUSTED, e.getMessage());
            } catch (Decompression.UnsupportedEncodingException e) {
                return OtlpReplies.status(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, enc, OtlpReplies.INVALID_ARGUMENT, e.getMessage());
            } catch (IOException e) {
                return OtlpReplies.status(HttpResponseStatus.BAD_REQUEST, enc, OtlpReplies.INVALID_ARGUMENT,
                        "cannot decompress body (" + req.header("Content-Encoding") + "): " + e.getMessage());
            }
            return ingest.ingest(body, enc);
        } finally {
            admission.release();
        }
    }

    /** 413 for a body refused on the wire, as OTLP/HTTP wants it: a google.rpc.Status in the request's encoding. */
    public static Response tooLarge(String contentType, long limitBytes) {
        OtlpEncoding enc = OtlpEncoding.of(contentType);
        return OtlpReplies.status(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, enc == null ? OtlpEncoding.PROTOBUF : enc,
                OtlpReplies.RESOURCE_EXHAUSTED, "request body exceeds the limit of " + limitBytes + " bytes");
    }

    /** 400 for a body that does not decode as the signal's request message. */
    public static Response undecodable(OtlpEncoding enc, InvalidProtocolBufferException e) {
        return badData(enc, "cannot decode " + (enc == OtlpEncoding.JSON ? "OTLP/JSON" : "OTLP protobuf") + " body: " + e.getMessage());
    }

    /** The OTLP/HTTP reply for a transport-independent outcome. */
    public static Response reply(IngestOutcome o, OtlpEncoding enc, Success success) {
        return switch (o.kind()) {
            case ACCEPTED -> success.reply(enc, o.rejected(), o.message());
            case BAD_DATA -> badData(enc, o.message());
            case TOO_LARGE -> OtlpReplies.status(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, enc, OtlpReplies.RESOURCE_EXHAUSTED, o.message());
            case OVERLOADED -> OtlpReplies.status(HttpResponseStatus.SERVICE_UNAVAILABLE, enc, OtlpReplies.UNAVAILABLE, o.message())
                    .header("Retry-After", o.retryAfter() == null ? "5" : o.retryAfter());
        };
    }

    private static Response badData(OtlpEncoding enc, String message) {
        return OtlpReplies.status(HttpResponseStatus.BAD_REQUEST, enc, OtlpReplies.INVALID_ARGUMENT, message);
    }
}
