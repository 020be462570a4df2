package tally.server.http;

/**
 * Serves one route. Runs on a worker thread (never the event loop), so it may block on storage.
 * Exceptions become a 500 with the exception message; handlers report client errors as responses.
 */
@FunctionalInterface
public interface Handler {
    Response handle(Request request) throws Exception;

    /**
     * The answer to a request whose body is larger than the server takes on the wire: it is refused before the body
     * arrives (and before a worker sees it), so only the request's Content-Type is known. A plain-text 413 unless
     * the route's protocol wants another body (OTLP's google.rpc.Status).
     */
    default Response tooLarge(String contentType, long limitBytes) {
        return Response.text(io.netty.handler.codec.http.HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "request body exceeds the limit of " + limitBytes + " bytes");
    }
}
