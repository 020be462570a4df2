package tally.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** One HTTP request as handlers see it: method, path, query parameters, headers and the whole body. */
public final class Request {
    private final FullHttpRequest raw;
    private final QueryStringDecoder uri;
    private final InetSocketAddress remote;

    public Request(FullHttpRequest raw, InetSocketAddress remote) {
        this.raw = raw;
        this.uri = new QueryStringDecoder(raw.uri());
        this.remote = remote;
    }

    public HttpMethod method() { return raw.method(); }

    public String path() { return uri.path(); }

    public Map<String, List<String>> queryParams() { return uri.parameters(); }

    public String header(String name) { return raw.headers().get(name); }

    public HttpHeaders headers() { return raw.headers(); }

    /** The request body; valid until the response is written. */
    public ByteBuf body() { return raw.content(); }

    public byte[] bodyBytes() {
        ByteBuf b = raw.content();
        byte[] out = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), out);
        return out;
    }

    public String bodyString() { return raw.content().toString(StandardCharsets.UTF_8); }

    public InetSocketAddress remoteAddress() { return remote; }
}
