package tally.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import tally.server.log.Log;
import tally.server.metrics.ServerMetrics;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.RejectedExecutionException;

/**
 * Per connection: takes each aggregated request off the event loop, runs its route on the worker
 * pool (in order per connection), writes the response and records count and latency per route.
 */
final class RequestDispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final Router router;
    private final SerialExecutor executor;
    private final ServerMetrics metrics;
    private final InFlight inFlight;

    RequestDispatcher(Router router, java.util.concurrent.Executor workers, ServerMetrics metrics, InFlight inFlight) {
        this.router = router;
        this.executor = new SerialExecutor(workers);
        this.metrics = metrics;
        this.inFlight = inFlight;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            write(ctx, false, req.protocolVersion(), HttpMethod.GET,
                    Response.text(HttpResponseStatus.BAD_REQUEST, "bad request: " + req.decoderResult().cause()));
            return;
        }
        long start = System.nanoTime();
        req.retain();
        inFlight.begin();
        try {
            executor.execute(() -> serve(ctx, req, start));
        } catch (RejectedExecutionException e) {
            req.release();
            inFlight.end();
            metrics.httpRequests.labels("overloaded", "503").inc();
            write(ctx, HttpUtil.isKeepAlive(req), req.protocolVersion(), req.method(),
                    Response.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "server overloaded, retry later").header("Retry-After", "1"));
        }
    }

    private void serve(ChannelHandlerContext ctx, FullHttpRequest req, long start) {
        Router.Route route = null;
        Response resp;
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        try {
            String path = new io.netty.handler.codec.http.QueryStringDecoder(req.uri()).path();
            route = router.resolve(req.method(), path);
            resp = route.handler().handle(new Request(req, (InetSocketAddress) ctx.channel().remoteAddress()));
        } catch (Throwable t) {
            tally.model.Fatal.exitOnOutOfMemory(t); // a JVM out of memory answers nothing reliably: restart, replay the WAL
            Log.error("request failed", "path", req.uri(), "err", t.toString());
            resp = Response.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + t.getMessage());
        } finally {
            req.release();
        }
        try {
            write(ctx, keepAlive, req.protocolVersion(), req.method(), resp);
        } finally {
            String name = route == null ? "unknown" : route.name();
            metrics.httpRequests.labels(name, Integer.toString(resp.status().code())).inc();
            metrics.httpDuration.labels(name).observe((System.nanoTime() - start) / 1e9);
            inFlight.end();
        }
    }

    private static void write(ChannelHandlerContext ctx, boolean keepAlive, HttpVersion version, HttpMethod method, Response resp) {
        byte[] body = method.equals(HttpMethod.HEAD) ? new byte[0] : resp.body();
        FullHttpResponse out = new DefaultFullHttpResponse(version, resp.status(), Unpooled.wrappedBuffer(body));
        if (resp.contentType() != null) out.headers().set(HttpHeaderNames.CONTENT_TYPE, resp.contentType());
        for (String[] h : resp.headers()) out.headers().add(h[0], h[1]);
        out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, resp.body().length);
        if (keepAlive) {
            if (version.equals(HttpVersion.HTTP_1_0)) out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(out);
        } else {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        tally.model.Fatal.exitOnOutOfMemory(cause);
        if (!(cause instanceof IOException)) Log.warn("connection error", "err", cause.toString());
        ctx.close();
    }
}
