package tally.server.grpc;

import tally.server.ingest.IngestOutcome;

/**
 * A gRPC status: the code and message of a reply's trailers. Only the codes Tally answers with are named
 * (grpc's doc/statuscodes.md has them all).
 */
record GrpcStatus(int code, String message) {
    static final int OK = 0;
    static final int INVALID_ARGUMENT = 3;
    static final int PERMISSION_DENIED = 7;
    static final int RESOURCE_EXHAUSTED = 8;
    static final int UNIMPLEMENTED = 12;
    static final int INTERNAL = 13;
    static final int UNAVAILABLE = 14;
    static final int UNAUTHENTICATED = 16;

    /**
     * The status of an export's outcome, as OTLP/gRPC specifies: bad data is not retried, overload is
     * (UNAVAILABLE); an accepted export is OK even when some points were refused (partial success).
     */
    static GrpcStatus of(IngestOutcome outcome) {
        return switch (outcome.kind()) {
            case ACCEPTED -> new GrpcStatus(OK, "");
            case BAD_DATA -> new GrpcStatus(INVALID_ARGUMENT, outcome.message());
            case TOO_LARGE -> new GrpcStatus(RESOURCE_EXHAUSTED, outcome.message());
            case OVERLOADED -> new GrpcStatus(UNAVAILABLE, outcome.message() + " (retry after " + outcome.retryAfter() + " s)");
        };
    }

    /** A refusal of the web config (credentials, rate limit) in gRPC's terms, as grpc maps those HTTP statuses. */
    static GrpcStatus of(tally.server.web.WebSecurity.Decision refused) {
        return switch (refused.status()) {
            case 401 -> new GrpcStatus(UNAUTHENTICATED, "missing or wrong credentials: send authorization metadata "
                    + "(Basic for a web config user, Bearer for an ingest token)");
            case 403 -> new GrpcStatus(PERMISSION_DENIED, refused.message());
            case 429 -> new GrpcStatus(UNAVAILABLE, "rate limited (rate_limit of the web config), retry later");
            default -> new GrpcStatus(INTERNAL, refused.message());
        };
    }

    /** Thrown while reading a request that cannot go on; the stream is answered with {@link #status}. */
    static final class Failure extends Exception {
        final GrpcStatus status;

        Failure(int code, String message) {
            super(message, null, false, false);
            this.status = new GrpcStatus(code, message);
        }
    }
}
