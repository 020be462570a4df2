package tally.model;

/**
 * A query refused because answering it would take more memory than the storage holds room for. {@code retryable}:
 * other queries hold that room now (try again shortly: HTTP 503, errorType "unavailable"); otherwise the query alone
 * is too large for this heap (narrow it or raise the heap: HTTP 422, errorType "execution").
 */
public final class QueryLimitException extends RuntimeException {
    private final boolean retryable;

    public QueryLimitException(String message, boolean retryable) {
        super(message, null, false, false);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
