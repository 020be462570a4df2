package tally.server.api;

/** An API failure with Prometheus's errorType and HTTP status. */
public final class ApiError extends RuntimeException {
    private final String errorType;
    private final int status;
    private String retryAfter;

    public ApiError(String errorType, int status, String message) {
        super(message, null, false, false);
        this.errorType = errorType;
        this.status = status;
    }

    public static ApiError badData(String message) {
        return new ApiError("bad_data", 400, message);
    }

    public static ApiError execution(String message) {
        return new ApiError("execution", 422, message);
    }

    /** Adds a Retry-After (seconds) to the answer: an overload the client should retry. */
    public ApiError retryAfter(String seconds) {
        this.retryAfter = seconds;
        return this;
    }

    /** Seconds for Retry-After, or null. */
    public String retryAfter() { return retryAfter; }

    public String errorType() { return errorType; }

    public int status() { return status; }
}
