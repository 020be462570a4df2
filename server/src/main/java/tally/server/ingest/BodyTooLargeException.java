package tally.server.ingest;

/** A request body whose (decompressed) size is over the configured limit: answered with 413. */
public final class BodyTooLargeException extends Exception {
    public BodyTooLargeException(long limit) {
        this("request body exceeds the limit of " + limit + " bytes after decompression");
    }

    public BodyTooLargeException(String message) {
        super(message, null, false, false);
    }
}
