package tally.server.ingest;

/** A request body that is not valid as a whole (undecodable protobuf, corrupt compression): answered 400, not retried. */
public final class BadDataException extends Exception {
    public BadDataException(String message) {
        super(message, null, false, false);
    }
}
