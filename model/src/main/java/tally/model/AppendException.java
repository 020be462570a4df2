package tally.model;

/** A sample refused by storage, with a reason the ingest layer reports to the client. */
public final class AppendException extends RuntimeException {
    public enum Reason {
        OUT_OF_ORDER("out of order sample"),
        TOO_OLD("too old sample"),
        DUPLICATE("duplicate sample for timestamp"),
        INVALID_LABELS("invalid labels"),
        LIMIT("limit exceeded");

        public final String message;

        Reason(String message) { this.message = message; }
    }

    private final Reason reason;

    public AppendException(Reason reason, String detail) {
        super(detail == null ? reason.message : reason.message + ": " + detail, null, false, false);
        this.reason = reason;
    }

    public Reason reason() { return reason; }
}
