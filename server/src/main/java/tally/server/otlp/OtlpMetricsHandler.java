package tally.server.otlp;

import tally.server.http.Handler;
import tally.server.http.Request;
import tally.server.http.Response;
import tally.server.ingest.IngestOutcome;

/**
 * {@code POST /v1/metrics} (OTLP port) and {@code POST /api/v1/otlp/v1/metrics} (web port): the OTLP/HTTP steps every
 * signal shares ({@link OtlpHttpExport}: Content-Type, admission, Content-Encoding, replies) around
 * {@link OtlpMetricsIngest}, which OTLP/gRPC runs too.
 */
public final class OtlpMetricsHandler implements Handler {
    private final OtlpMetricsIngest ingest;
    private final long maxBodyBytes;

    public OtlpMetricsHandler(OtlpMetricsIngest ingest, long maxBodyBytes) {
        this.ingest = ingest;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public Response tooLarge(String contentType, long limitBytes) {
        return OtlpHttpExport.tooLarge(contentType, limitBytes);
    }

    @Override
    public Response handle(Request req) {
        return OtlpHttpExport.receive(req, ingest, maxBodyBytes, this::decode);
    }

    /** Protobuf bodies are decoded while translating; JSON is parsed first, inside the ingest (its errors are the ingest's). */
    private Response decode(byte[] body, OtlpEncoding enc) {
        IngestOutcome outcome = enc == OtlpEncoding.JSON ? ingest.ingestJson(body) : ingest.ingest(body);
        return OtlpHttpExport.reply(outcome, enc, OtlpReplies::success);
    }
}
