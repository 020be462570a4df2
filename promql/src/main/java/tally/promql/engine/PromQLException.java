package tally.promql.engine;

/** A query that cannot be answered; {@link #type()} decides the HTTP status and {@code errorType}. */
public final class PromQLException extends RuntimeException {
    private final ErrorType type;

    public PromQLException(ErrorType type, String message) {
        super(message, null, false, false);
        this.type = type;
    }

    public static PromQLException execution(String message) { return new PromQLException(ErrorType.EXECUTION, message); }

    public static PromQLException badData(String message) { return new PromQLException(ErrorType.BAD_DATA, message); }

    public ErrorType type() { return type; }
}
