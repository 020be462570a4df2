package tally.server.remotewrite;

import io.netty.handler.codec.http.HttpResponseStatus;
import tally.model.Appendable;
import tally.server.http.Handler;
import tally.server.http.Request;
import tally.server.http.Response;
import tally.server.ingest.IngestBatch;
import tally.server.ingest.IngestLimiter;
import tally.server.ingest.LabelLimits;
import tally.server.ingest.MetadataRecorder;
import tally.server.log.Log;
import tally.server.metrics.ServerMetrics;

import java.io.IOException;
import java.util.Map;

/**
 * {@code POST /api/v1/write}: Prometheus remote-write 1.0 (snappy block + prompb.WriteRequest).
 * Valid samples are committed even when others in the batch are refused; the reply is then 400
 * naming what was refused (invalid labels, out-of-order/duplicate samples, exemplars, native
 * histograms) so the sender does not retry. Overload is answered 503 with {@code Retry-After} before decoding,
 * which senders retry. See docs/remote-write.md.
 */
public final class RemoteWriteHandler implements Handler {
    static final String PROTOCOL = "remote_write";
    private static final ThreadLocal<WriteRequestDecoder> DECODERS = ThreadLocal.withInitial(WriteRequestDecoder::new);
    /** Per-thread body buffers (compressed, decompressed), reused by the next request on the thread. */
    private static final ThreadLocal<SnappyBuffers> BUFFERS = ThreadLocal.withInitial(SnappyBuffers::new);

    private final Appendable storage;
    private final MetadataRecorder metadata;
    private final IngestLimiter limiter;
    private final LabelLimits limits;
    private final long maxBodyBytes;
    private final ServerMetrics metrics;

    public RemoteWriteHandler(Appendable storage, MetadataRecorder metadata, IngestLimiter limiter, LabelLimits limits,
                              long maxBodyBytes, ServerMetrics metrics) {
        this.storage = storage;
        this.metadata = metadata;
        this.limiter = limiter;
        this.limits = limits;
        this.maxBodyBytes = maxBodyBytes;
        this.metrics = metrics;
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
        IngestLimiter.Refusal refused = limiter.tryAdmit(PROTOCOL);
        if (refused != null) {
            // 503, not 429: Prometheus retries 5xx, but drops a batch answered 429 unless retry_on_http_429 is set
            return Response.text(HttpResponseStatus.SERVICE_UNAVAILABLE, refused.message()).header("Retry-After", refused.retryAfter());
        }
        try {
            SnappyBuffers buffers = BUFFERS.get();
            int rawLength;
            try {
                rawLength = buffers.uncompress(req.body(), maxBodyBytes);
            } catch (SnappyBuffers.TooLarge e) {
                return Response.text(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, e.getMessage());
            } catch (IOException e) {
                return Response.text(HttpResponseStatus.BAD_REQUEST, "snappy: corrupt input (" + e.getMessage() + ")");
            }
            try {
                return write(buffers.raw(), rawLength);
            } finally {
                buffers.done();
            }
        } finally {
            limiter.release();
        }
    }

    private Response write(byte[] raw, int rawLength) {
        IngestBatch ingest = new IngestBatch(storage.appender(), limits);
        RemoteWriteBatch batch = new RemoteWriteBatch(ingest, metadata);
        try {
            DECODERS.get().decode(raw, rawLength, batch);
        } catch (ProtoException e) {
            ingest.rollback();
            return Response.text(HttpResponseStatus.BAD_REQUEST, "cannot decode WriteRequest protobuf: " + e.getMessage());
        }
        try {
            ingest.commit();
        } catch (RuntimeException e) {
            try {
                ingest.rollback();
            } catch (RuntimeException ignored) {
                // storage is failing already; report the commit error
            }
            Log.error("remote-write commit failed", "err", e.toString());
            return Response.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "storage could not take the data: " + e.getMessage());
        }
        if (batch.exemplars > 0) {
            ingest.refuse("exemplar_unsupported", "exemplars are not supported: " + batch.exemplars + " exemplars dropped");
        }
        if (batch.histograms > 0) {
            ingest.refuse("native_histogram_unsupported",
                    "native histograms are not supported: " + batch.histograms + " histogram samples dropped");
        }
        metrics.samplesIngested.labels(PROTOCOL).add(ingest.accepted());
        metrics.seriesIngested.labels(PROTOCOL).add(ingest.series());
        for (Map.Entry<String, IngestBatch.Refusal> r : ingest.refusals().entrySet()) {
            long n = r.getKey().equals("exemplar_unsupported") ? batch.exemplars
                    : r.getKey().equals("native_histogram_unsupported") ? batch.histograms : r.getValue().count;
            metrics.samplesRejected.labels(PROTOCOL, r.getKey()).add(n);
        }
        if (!ingest.refusals().isEmpty()) {
            String msg = ingest.refusalSummary();
            Log.warn("remote-write samples refused", "accepted", ingest.accepted(), "detail", msg);
            return Response.text(HttpResponseStatus.BAD_REQUEST, msg);
        }
        return Response.empty(HttpResponseStatus.NO_CONTENT);
    }
}
