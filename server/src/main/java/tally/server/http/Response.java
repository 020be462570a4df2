package tally.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** What a handler returns: status, content type, extra headers and the body bytes. */
public final class Response {
    public static final String TEXT = "text/plain; charset=utf-8";

    private final HttpResponseStatus status;
    private final String contentType;
    private final byte[] body;
    private final List<String[]> headers = new ArrayList<>(2);

    public Response(HttpResponseStatus status, String contentType, byte[] body) {
        this.status = status;
        this.contentType = contentType;
        this.body = body == null ? new byte[0] : body;
    }

    public static Response text(HttpResponseStatus status, String text) {
        return new Response(status, TEXT, (text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public static Response empty(HttpResponseStatus status) {
        return new Response(status, null, null);
    }

    public Response header(String name, String value) {
        headers.add(new String[] {name, value});
        return this;
    }

    public HttpResponseStatus status() { return status; }
    public String contentType() { return contentType; }
    public byte[] body() { return body; }
    public List<String[]> headers() { return headers; }
}
