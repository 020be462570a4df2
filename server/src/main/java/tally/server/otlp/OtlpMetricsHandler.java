package tally.server.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import tally.model.Appendable;
import tally.server.http.Handler;
import tally.server.http.Request;
import tally.server.http.Response;
import tally.server.ingest.BodyTooLargeException;
import tally.server.ingest.Decompression;
import tally.server.ingest.IngestBatch;
import tally.server.ingest.IngestLimiter;
import tally.server.ingest.LabelLimits;
import tally.server.log.Log;
import tally.server.metrics.ServerMetrics;
import tally.server.otlp.delta.DeltaAccumulator;

import java.io.IOException;
import java.util.Map;

/**
 * {@code POST /v1/metrics} (OTLP port) and {@code POST /api/v1/otlp/v1/metrics} (web port):
 * decode (protobuf or JSON, gzip/deflate), translate, append, commit, reply per the OTLP/HTTP spec.
 */
public final class OtlpMetricsHandler implements Handler {
    static final String PROTOCOL = "otlp";

    private final Appendable storage;
    private final OtlpTranslator translator;
    private final DeltaAccumulator delta;
    private final IngestLimiter limiter;
    private final LabelLimits limits;
    private final long maxBodyBytes;
    private final ServerMetrics metrics;

    public OtlpMetricsHandler(Appendable storage, OtlpTranslator translator, DeltaAccumulator delta, IngestLimiter limiter,
                              LabelLimits limits, long maxBodyBytes, ServerMetrics metrics) {
        this.storage = storage;
        this.translator = translator;
        this.delta = delta;
        this.limiter = limiter;
        this.limits = limits;
        this.maxBodyBytes = maxBodyBytes;
        this.metrics = metrics;
    }

    @Override
    public Response handle(Request req) {
        OtlpEncoding enc = OtlpEncoding.of(req.header(HttpHeaderNames.CONTENT_TYPE.toString()));
        if (enc == null) {
            return OtlpReplies.status(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, OtlpEncoding.PROTOBUF, OtlpReplies.INVALID_ARGUMENT,
                    "unsupported Content-Type \"" + req.header("Content-Type") + "\": use application/x-protobuf or application/json");
        }
        IngestLimiter.Refusal refused = limiter.tryAdmit(PROTOCOL);
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
            ExportMetricsServiceRequest parsedJson = null;
            if (enc == OtlpEncoding.JSON) {
                try {
                    parsedJson = OtlpJson.parse(body);
                } catch (InvalidProtocolBufferException e) {
                    return undecodable(enc, e);
                }
            }
            return ingest(body, parsedJson, enc);
        } finally {
            limiter.release();
        }
    }

    private static Response undecodable(OtlpEncoding enc, InvalidProtocolBufferException e) {
        return OtlpReplies.status(HttpResponseStatus.BAD_REQUEST, enc, OtlpReplies.INVALID_ARGUMENT,
                "cannot decode " + (enc == OtlpEncoding.JSON ? "OTLP/JSON" : "OTLP protobuf") + " body: " + e.getMessage());
    }

    /** Protobuf bodies are decoded while translating (json == null); a decoding error discards the whole batch. */
    private Response ingest(byte[] protobuf, ExportMetricsServiceRequest json, OtlpEncoding enc) {
        IngestBatch batch = new IngestBatch(storage.appender(), limits);
        OtlpBatch otlp = new OtlpBatch(batch);
        try {
            if (json != null) {
                translator.translate(json, otlp);
            } else {
                try {
                    translator.translate(protobuf, otlp);
                } catch (InvalidProtocolBufferException e) {
                    batch.rollback();
                    delta.forget(otlp.touchedStreams());
                    return undecodable(enc, e);
                }
            }
            batch.commit();
        } catch (RuntimeException e) {
            try {
                batch.rollback();
            } catch (RuntimeException ignored) {
                // the storage is already failing; the commit error is the one to report
            }
            delta.forget(otlp.touchedStreams());
            Log.error("OTLP append failed", "err", e.toString());
            metrics.samplesRejected.labels(PROTOCOL, "storage_error").add(batch.accepted());
            return OtlpReplies.status(HttpResponseStatus.SERVICE_UNAVAILABLE, enc, OtlpReplies.UNAVAILABLE,
                    "storage could not take the data: " + e.getMessage()).header("Retry-After", "5");
        }
        metrics.samplesIngested.labels(PROTOCOL).add(batch.accepted());
        metrics.seriesIngested.labels(PROTOCOL).add(batch.series());
        for (Map.Entry<String, IngestBatch.Refusal> r : batch.refusals().entrySet()) {
            metrics.samplesRejected.labels(PROTOCOL, r.getKey()).add(r.getValue().count);
        }
        if (otlp.rejectedPoints() > 0) {
            Log.debug("OTLP points refused", "rejected", otlp.rejectedPoints(), "reasons", batch.refusalSummary());
        }
        return OtlpReplies.success(enc, otlp.rejectedPoints(), otlp.rejectedPoints() > 0 ? batch.refusalSummary() : "");
    }
}
