package tally.server.otlp;

/**
 * What one OTLP export (metrics or logs) did, whatever carried it: OTLP/HTTP and OTLP/gRPC run the same ingest
 * and map this to their own replies (HTTP status + Status body, or grpc-status + partial success).
 *
 * @param kind       the outcome class
 * @param rejected   data points (metrics) or log records (logs) refused inside an accepted export
 * @param message    the partial-success or error message ("" when none)
 * @param retryAfter seconds a sender should wait before retrying ({@link Kind#OVERLOADED} only, else null)
 */
public record OtlpExportOutcome(Kind kind, long rejected, String message, String retryAfter) {
    public enum Kind {
        /** Accepted; {@code rejected} may be non-zero (partial success). */
        ACCEPTED,
        /** The payload cannot be decoded or is invalid as a whole: not retryable (HTTP 400, gRPC INVALID_ARGUMENT). */
        BAD_DATA,
        /** Too large, before or after decompression (HTTP 413, gRPC RESOURCE_EXHAUSTED). */
        TOO_LARGE,
        /** Tally is busy or its storage refused the write: retryable (HTTP 503/429, gRPC UNAVAILABLE). */
        OVERLOADED
    }

    public static OtlpExportOutcome accepted(long rejected, String message) {
        return new OtlpExportOutcome(Kind.ACCEPTED, rejected, message == null ? "" : message, null);
    }

    public static OtlpExportOutcome badData(String message) {
        return new OtlpExportOutcome(Kind.BAD_DATA, 0, message, null);
    }

    public static OtlpExportOutcome tooLarge(String message) {
        return new OtlpExportOutcome(Kind.TOO_LARGE, 0, message, null);
    }

    public static OtlpExportOutcome overloaded(String message, String retryAfter) {
        return new OtlpExportOutcome(Kind.OVERLOADED, 0, message, retryAfter);
    }
}
