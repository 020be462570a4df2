package tally.server.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import tally.server.http.Handler;
import tally.server.http.Request;
import tally.server.http.Response;
import tally.server.ingest.IngestLimiter;
import tally.server.ingest.IngestOutcome;

/**
 * {@code POST /v1/logs} (OTLP port) and {@code POST /api/v1/otlp/v1/logs} (web port): protobuf or JSON, gzip/deflate,
 * handed to the logs ingest; the reply is an ExportLogsServiceResponse ({@code partial_success.rejected_log_records}).
 */
public final class OtlpLogsHandler implements Handler {
    /** The protocol label of the ingest self-metrics (throttled requests, samples derived from events). */
    public static final String PROTOCOL = "otlp_logs";

    private final OtlpLogsExport logs;
    private final IngestLimiter limiter;
    private final long maxBodyBytes;

    public OtlpLogsHandler(OtlpLogsExport logs, IngestLimiter limiter, long maxBodyBytes) {
        this.logs = logs;
        this.limiter = limiter;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public Response tooLarge(String contentType, long limitBytes) {
        return OtlpHttpExport.tooLarge(contentType, limitBytes);
    }

    @Override
    public Response handle(Request req) {
        return OtlpHttpExport.receive(req, OtlpHttpExport.admission(limiter, PROTOCOL), maxBodyBytes, this::ingest);
    }

    private Response ingest(byte[] body, OtlpEncoding enc) {
        IngestOutcome outcome;
        if (enc == OtlpEncoding.JSON) {
            try {
                outcome = logs.export(OtlpJson.parseLogs(body));
            } catch (InvalidProtocolBufferException e) {
                return OtlpHttpExport.undecodable(enc, e);
            }
        } else {
            outcome = logs.export(body);
        }
        return OtlpHttpExport.reply(outcome, enc, OtlpReplies::logsSuccess);
    }
}
