package tally.server.ingest;

/**
 * What one ingest request did, whatever its protocol and transport: remote-write, OTLP/HTTP and OTLP/gRPC run the
 * same ingest ({@link BatchIngest}) and map this to their own replies (an HTTP status and body, or a grpc-status and
 * partial success).
 *
 * @param kind       the outcome class
 * @param rejected   what the protocol counts as refused inside an accepted request: OTLP data points or log records,
 *                   remote-write samples
 * @param message    the partial-success or error message ("" when none)
 * @param retryAfter seconds a sender should wait before retrying ({@link Kind#OVERLOADED} only, else null)
 */
public record IngestOutcome(Kind kind, long rejected, String message, String retryAfter) {
    public enum Kind {
        /** Accepted; {@code rejected} may be non-zero (partial success). */
        ACCEPTED,
        /** The payload cannot be decoded or is invalid as a whole: not retryable (HTTP 400, gRPC INVALID_ARGUMENT). */
        BAD_DATA,
        /** Too large, before or after decompression (HTTP 413, gRPC RESOURCE_EXHAUSTED). */
        TOO_LARGE,
        /** Tally is busy or could not store the data: nothing was kept, retryable (HTTP 503/429, gRPC UNAVAILABLE). */
        OVERLOADED
    }

    /** Everything accepted. */
    public static final IngestOutcome ACCEPTED = new IngestOutcome(Kind.ACCEPTED, 0, "", null);

    public static IngestOutcome accepted(long rejected, String message) {
        return new IngestOutcome(Kind.ACCEPTED, rejected, message == null ? "" : message, null);
    }

    public static IngestOutcome badData(String message) {
        return new IngestOutcome(Kind.BAD_DATA, 0, message, null);
    }

    public static IngestOutcome tooLarge(String message) {
        return new IngestOutcome(Kind.TOO_LARGE, 0, message, null);
    }

    public static IngestOutcome overloaded(String message, String retryAfter) {
        return new IngestOutcome(Kind.OVERLOADED, 0, message, retryAfter);
    }

    /** The limiter refused the request before anything was decoded. */
    public static IngestOutcome overloaded(IngestLimiter.Refusal refused) {
        return overloaded(refused.message(), refused.retryAfter());
    }
}
