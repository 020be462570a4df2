package tally.server.remotewrite;

import io.netty.handler.codec.http.HttpResponseStatus;
import tally.model.Appendable;
import tally.server.http.Handler;
import tally.server.http.Request;
import tally.server.http.Response;
import tally.server.ingest.BatchIngest;
import tally.server.ingest.IngestLimiter;
import tally.server.ingest.IngestOutcome;
import tally.server.ingest.LabelLimits;
import tally.server.ingest.RequestLimits;
import tally.server.ingest.MetadataRecorder;
import tally.server.log.Log;
import tally.server.metrics.ServerMetrics;

/**
 * {@code POST /api/v1/write}: Prometheus remote-write 1.0 (snappy block + prompb.WriteRequest), through the ingest
 * every protocol shares ({@link BatchIngest}). Valid samples are committed even when others in the batch are
 * refused; the reply is then 400 naming what was refused (invalid labels, out-of-order/duplicate samples, exemplars,
 * native histograms) so the sender does not retry. A body that does not decode is 400, one too large 413. Overload,
 * before decoding, and a failure to store the batch are answered 503 with {@code Retry-After}, which senders retry:
 * nothing of such a request was kept. See docs/remote-write.md.
 */
public final class RemoteWriteHandler implements Handler {
    static final String PROTOCOL = "remote_write";

    private final BatchIngest ingest;
    private final MetadataRecorder metadata;
    private final long maxBodyBytes;

    public RemoteWriteHandler(Appendable storage, MetadataRecorder metadata, IngestLimiter limiter, LabelLimits limits,
                              RequestLimits request, long maxBodyBytes, ServerMetrics metrics) {
        this.ingest = new BatchIngest(PROTOCOL, storage, limits, request, limiter, metrics);
        this.metadata = metadata;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public Response handle(Request req) {
        String type = req.header("Content-Type");
        if (type != null && type.contains("proto=") && !type.contains("prometheus.WriteRequest")) {
            return Response.text(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                    "unsupported remote-write message type \"" + type + "\": Tally speaks remote-write 1.0 (prometheus.WriteRequest)");
        }
        String encoding = req.header("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("snappy")) {
            return Response.text(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported Content-Encoding \"" + encoding + "\": use snappy");
        }
        IngestLimiter.Refusal refused = ingest.tryAdmit();
        if (refused != null) return reply(IngestOutcome.overloaded(refused));
        try {
            return reply(ingest.run(new RemoteWriteWork(req.body(), maxBodyBytes, metadata)));
        } finally {
            ingest.release();
        }
    }

    /**
     * In remote-write's terms: 204 when everything was stored; 400 with the refusals (the sender must not retry them);
     * 503 (not 429: Prometheus retries 5xx, but drops a batch answered 429 unless retry_on_http_429 is set).
     */
    private static Response reply(IngestOutcome o) {
        return switch (o.kind()) {
            case ACCEPTED -> {
                if (o.rejected() == 0) yield Response.empty(HttpResponseStatus.NO_CONTENT);
                Log.warn("remote-write samples refused", "refused", o.rejected(), "detail", o.message());
                yield Response.text(HttpResponseStatus.BAD_REQUEST, o.message());
            }
            case BAD_DATA -> Response.text(HttpResponseStatus.BAD_REQUEST, o.message());
            case TOO_LARGE -> Response.text(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, o.message());
            case OVERLOADED -> Response.text(HttpResponseStatus.SERVICE_UNAVAILABLE, o.message()).header("Retry-After", o.retryAfter());
        };
    }
}
