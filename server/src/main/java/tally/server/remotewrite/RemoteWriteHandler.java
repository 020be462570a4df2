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
 * {@code POST /api/v1/write}: Prometheus remote-write 1.0 (snappy block + prompb.WriteRequest) and 2.0 (snappy block +
 * io.prometheus.write.v2.Request), chosen by the Content-Type's {@code proto} parameter as Prometheus 3.x does (no
 * parameter: 1.0; an unknown message: 415). Both run through the ingest every protocol shares ({@link BatchIngest}).
 * Valid samples are committed even when others in the batch are refused; the reply is then 400 naming what was
 * refused (invalid labels or symbol refs, out-of-order/duplicate samples, native histograms; exemplars in 1.0) so the
 * sender does not retry. A body that does not decode is 400, one too large 413. Overload, before decoding, and a
 * failure to store the batch are answered 503 with {@code Retry-After}, which senders retry: nothing of such a request
 * was kept. Every reply to a 2.0 request carries the {@code X-Prometheus-Remote-Write-*-Written} headers (0 when
 * nothing was kept); replies to 1.0 requests do not, as in Prometheus 3.x. See docs/remote-write.md.
 */
public final class RemoteWriteHandler implements Handler {
    static final String PROTOCOL = "remote_write";
    static final String V1_MESSAGE = "prometheus.WriteRequest";
    static final String V2_MESSAGE = "io.prometheus.write.v2.Request";
    public static final String SAMPLES_WRITTEN = "X-Prometheus-Remote-Write-Samples-Written";
    public static final String HISTOGRAMS_WRITTEN = "X-Prometheus-Remote-Write-Histograms-Written";
    public static final String EXEMPLARS_WRITTEN = "X-Prometheus-Remote-Write-Exemplars-Written";

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
        String message = protoParameter(type);
        boolean v2;
        if (message == null || message.equals(V1_MESSAGE)) {
            v2 = false;
        } else if (message.equals(V2_MESSAGE)) {
            v2 = true;
        } else {
            return Response.text(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported remote-write message \"" + message
                    + "\" (Content-Type \"" + type + "\"): Tally accepts " + V1_MESSAGE + " (1.0) and " + V2_MESSAGE + " (2.0)");
        }
        String encoding = req.header("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("snappy")) {
            return Response.text(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported Content-Encoding \"" + encoding + "\": use snappy");
        }
        IngestLimiter.Refusal refused = ingest.tryAdmit();
        if (refused != null) return written(reply(IngestOutcome.overloaded(refused)), v2, 0);
        try {
            RemoteWriteWork work = new RemoteWriteWork(req.body(), maxBodyBytes, metadata, v2);
            IngestOutcome outcome = ingest.run(work);
            return written(reply(outcome), v2, outcome.kind() == IngestOutcome.Kind.ACCEPTED ? work.written : 0);
        } finally {
            ingest.release();
        }
    }

    /**
     * The Content-Type's {@code proto} parameter (unquoted), or null when it has none. The media type itself is not
     * checked: 1.0 senders that send none, or another one, keep working as they did with Prometheus 2.x.
     */
    static String protoParameter(String contentType) {
        if (contentType == null) return null;
        int semi = contentType.indexOf(';');
        while (semi >= 0) {
            int next = contentType.indexOf(';', semi + 1);
            String param = contentType.substring(semi + 1, next < 0 ? contentType.length() : next).trim();
            int eq = param.indexOf('=');
            if (eq > 0 && param.substring(0, eq).trim().equalsIgnoreCase("proto")) {
                String v = param.substring(eq + 1).trim();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
                return v;
            }
            semi = next;
        }
        return null;
    }

    /** 2.0's written counts; Tally writes float samples only. */
    private static Response written(Response r, boolean v2, long samples) {
        if (!v2) return r;
        return r.header(SAMPLES_WRITTEN, Long.toString(samples)).header(HISTOGRAMS_WRITTEN, "0").header(EXEMPLARS_WRITTEN, "0");
    }

    /**
     * In remote-write's terms: 204 when everything was stored; 400 with the refusals (the sender must not retry them);
     * 503 (not 429: Prometheus retries 5xx, but drops a batch answered 429 unless retry_on_http_429 is set).
     */
    private static Response reply(IngestOutcome o) {
        return switch (o.kind()) {
            case ACCEPTED -> {
                if (o.rejected() == 0 && o.message().isEmpty()) yield Response.empty(HttpResponseStatus.NO_CONTENT);
                Log.warn("remote-write samples refused", "refused", o.rejected(), "detail", o.message());
                yield Response.text(HttpResponseStatus.BAD_REQUEST, o.message());
            }
            case BAD_DATA -> Response.text(HttpResponseStatus.BAD_REQUEST, o.message());
            case TOO_LARGE -> Response.text(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, o.message());
            case OVERLOADED -> Response.text(HttpResponseStatus.SERVICE_UNAVAILABLE, o.message()).header("Retry-After", o.retryAfter());
        };
    }
}
