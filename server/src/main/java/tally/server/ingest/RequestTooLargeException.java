package tally.server.ingest;

/** One request carries more series or samples than {@link RequestLimits} allow: rolled back and answered 413. */
public final class RequestTooLargeException extends RuntimeException {
    RequestTooLargeException(String message) {
        super(message, null, false, false);
    }
}
