package tally.server.http;

/**
 * Serves one route. Runs on a worker thread (never the event loop), so it may block on storage.
 * Exceptions become a 500 with the exception message; handlers report client errors as responses.
 */
@FunctionalInterface
public interface Handler {
    Response handle(Request request) throws Exception;
}
