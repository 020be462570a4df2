package tally.server.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Set;

/**
 * Per HTTP connection, before the body is gathered: the rate limit and the credentials of each request. An allowed
 * request flows on untouched; a refused one is answered here (401 with its challenge, 403, 429) and its body is
 * read and dropped, so nothing of an unauthenticated client's upload is kept. While bcrypt decides (off the event
 * loop), the connection stops reading and what already arrived waits in order.
 */
public final class AuthGate extends ChannelInboundHandlerAdapter {
    /** Endpoints that only take data in: a write-only token is enough for them. */
    static final Set<String> INGEST_PATHS = Set.of("/api/v1/write", "/api/v1/otlp/v1/metrics", "/api/v1/otlp/v1/logs",
            "/api/v1/otlp/v1/traces", "/v1/metrics", "/v1/logs", "/v1/traces");

    private enum State { IDLE, PASS, WAIT, DISCARD }

    private final WebSecurity security;
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private State state = State.IDLE;

    public AuthGate(WebSecurity security) {
        this.security = security;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req && state != State.WAIT) {
            begin(ctx, req);
            return;
        }
        switch (state) {
            case PASS, IDLE -> {
                ctx.fireChannelRead(msg);
                if (msg instanceof LastHttpContent) state = State.IDLE;
            }
            case WAIT -> waiting.add(msg);
            case DISCARD -> {
                if (msg instanceof LastHttpContent) state = State.IDLE;
                ReferenceCountUtil.release(msg);
            }
        }
    }

    private void begin(ChannelHandlerContext ctx, HttpRequest req) {
        if (!security.rateAllows()) {
            refuse(ctx, req, new WebSecurity.Decision(429, "Too Many Requests", java.util.List.of()));
            return;
        }
        WebSecurity.Access access = INGEST_PATHS.contains(new QueryStringDecoder(req.uri()).path())
                ? WebSecurity.Access.INGEST : WebSecurity.Access.READ;
        String authorization = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        WebSecurity.Decision quick = security.quickCheck(authorization, access);
        if (quick != null) {
            decided(ctx, req, quick);
            return;
        }
        state = State.WAIT;
        waiting.add(req);
        ctx.channel().config().setAutoRead(false);
        security.check(authorization, access).whenComplete((d, err) -> ctx.executor().execute(() -> {
            WebSecurity.Decision decision = err != null ? new WebSecurity.Decision(500, "Internal Server Error", java.util.List.of()) : d;
            HttpRequest first = (HttpRequest) waiting.poll();
            java.util.List<Object> rest = new java.util.ArrayList<>(waiting);
            waiting.clear();
            decided(ctx, first, decision);
            for (Object m : rest) channelRead(ctx, m); // a pipelined request among them may wait in turn
            if (state != State.WAIT) ctx.channel().config().setAutoRead(true);
        }));
    }

    private void decided(ChannelHandlerContext ctx, HttpRequest req, WebSecurity.Decision d) {
        if (d.allowed()) {
            state = req instanceof LastHttpContent ? State.IDLE : State.PASS;
            ctx.fireChannelRead(req);
        } else {
            refuse(ctx, req, d);
        }
    }

    private void refuse(ChannelHandlerContext ctx, HttpRequest req, WebSecurity.Decision d) {
        // a client that waits for "100 Continue" never sends the body it announced: the connection cannot be reused
        boolean keepAlive = HttpUtil.isKeepAlive(req) && !HttpUtil.is100ContinueExpected(req);
        state = req instanceof LastHttpContent ? State.IDLE : State.DISCARD;
        byte[] body = (d.message() + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse out = new DefaultFullHttpResponse(req.protocolVersion(), HttpResponseStatus.valueOf(d.status()),
                Unpooled.wrappedBuffer(req.method().equals(HttpMethod.HEAD) ? new byte[0] : body));
        out.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        out.headers().set("X-Content-Type-Options", "nosniff");
        for (String c : d.challenges()) out.headers().add(HttpHeaderNames.WWW_AUTHENTICATE, c);
        out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        ReferenceCountUtil.release(req);
        if (keepAlive) {
            ctx.writeAndFlush(out);
        } else {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        while (!waiting.isEmpty()) ReferenceCountUtil.release(waiting.poll());
        super.channelInactive(ctx);
    }
}
