package tally.server.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import tally.server.log.Log;
import tally.server.web.AuthGate;
import tally.server.web.SecurityHeaders;
import tally.server.web.TlsContexts;
import tally.server.web.WebSecurity;
import tally.server.metrics.ServerMetrics;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Netty HTTP/1.1 server: one event loop group and one worker pool shared by all listeners (web port, OTLP port,
 * and the OTLP/gRPC port with its own pipeline). Keep-alive, chunked bodies (aggregated up to a byte limit, else
 * 413), handlers run on the workers. {@link #close} stops accepting, drains in-flight requests, then stops.
 */
public final class HttpServer implements AutoCloseable {
    private final EventLoopGroup boss = new NioEventLoopGroup(1, new DefaultThreadFactory("http-accept", true));
    private final EventLoopGroup io;
    private final ThreadPoolExecutor workers;
    private final ServerMetrics metrics;
    private final int maxBodyBytes;
    private final InFlight inFlight = new InFlight();
    private final List<Channel> listeners = new ArrayList<>();
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final WebSecurity security;

    /**
     * @param workerThreads threads that run handlers
     * @param queueLength   requests waiting for a worker before new ones get 503
     * @param maxBodyBytes  largest request body accepted on the wire (413 above)
     */
    public HttpServer(int workerThreads, int queueLength, int maxBodyBytes, ServerMetrics metrics) {
        this(workerThreads, queueLength, maxBodyBytes, metrics, WebSecurity.none());
    }

    /** @param security TLS, headers, rate limit and credentials of --web.config.file, on every listener */
    public HttpServer(int workerThreads, int queueLength, int maxBodyBytes, ServerMetrics metrics, WebSecurity security) {
        this.security = security;
        this.io = new NioEventLoopGroup(Math.max(1, Math.min(4, workerThreads)), new DefaultThreadFactory("http-io", true));
        this.workers = new ThreadPoolExecutor(workerThreads, workerThreads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueLength), new DefaultThreadFactory("http-worker", true));
        this.maxBodyBytes = maxBodyBytes;
        this.metrics = metrics;
    }

    /**
     * Aggregates request bodies up to the limit; a larger one is answered by its route's {@link Handler#tooLarge}
     * (Netty's own 413 has an empty body, which OTLP senders cannot read and nobody can act on), and the connection
     * closes, since the rest of the body is still on its way: gently ({@link LingeringClose}), so the 413 is read.
     */
    private final class Aggregator extends HttpObjectAggregator {
        private final Router router;

        Aggregator(int maxBodyBytes, Router router) {
            super(maxBodyBytes, true);
            this.router = router;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
            if (!(oversized instanceof HttpRequest req)) {
                super.handleOversizedMessage(ctx, oversized);
                return;
            }
            Router.Route route = router.resolve(req.method(), new QueryStringDecoder(req.uri()).path());
            Response r = route.handler().tooLarge(req.headers().get(HttpHeaderNames.CONTENT_TYPE), maxBodyBytes);
            FullHttpResponse out = new DefaultFullHttpResponse(req.protocolVersion(), r.status(), Unpooled.wrappedBuffer(r.body()));
            if (r.contentType() != null) out.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
            out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length).set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            metrics.httpRequests.labels(route.name(), Integer.toString(r.status().code())).inc();
            LingeringClose.after(ctx.writeAndFlush(out));
        }
    }

    /** Starts listening; returns the bound address (useful with port 0). */
    public InetSocketAddress listen(String name, InetSocketAddress address, Router router) throws InterruptedException {
        return listen(name, address, TlsContexts.Alpn.HTTP1, ch -> ch.pipeline()
                .addLast(new HttpServerCodec(8192, 65536, 8192))
                .addLast(new SecurityHeaders(security))
                .addLast(new AuthGate(security)) // before 100-continue and the aggregator: a refused body is never gathered
                .addLast(new HttpServerExpectContinueHandler())
                // gzip/deflate responses when the client asks (query results compress ~10x)
                .addLast(new io.netty.handler.codec.http.HttpContentCompressor(6, 15, 8, 1024))
                .addLast(new Aggregator(maxBodyBytes, router))
                .addLast(new RequestDispatcher(router, workers, metrics, inFlight)));
    }

    /**
     * Listens with another protocol's pipeline (OTLP/gRPC) on the same event loops; its connections are closed at
     * shutdown like the HTTP ones, and get TLS (offering {@code alpn}) when the web config asks for it. Its handlers
     * run on {@link #requestExecutor()}.
     */
    public InetSocketAddress listen(String name, InetSocketAddress address, TlsContexts.Alpn alpn, Consumer<SocketChannel> pipeline)
            throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, io)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        if (security.tlsEnabled()) ch.pipeline().addLast(security.newSslHandler(ch.alloc(), alpn));
                        pipeline.accept(ch);
                    }
                });
        Channel ch = b.bind(address).sync().channel();
        synchronized (listeners) {
            listeners.add(ch);
        }
        InetSocketAddress bound = (InetSocketAddress) ch.localAddress();
        Log.info("listening", "listener", name, "address", bound.getHostString() + ":" + bound.getPort(),
                "tls", Boolean.toString(security.tlsEnabled()));
        return bound;
    }

    /** The web config in force for every listener. */
    public WebSecurity security() {
        return security;
    }

    /**
     * The handler workers for requests that do not go through a {@link Router}: each task counts as a request in
     * flight until it returns, so shutdown drains it before the storage closes. Throws
     * {@link java.util.concurrent.RejectedExecutionException} when the workers' queue is full.
     */
    public Executor requestExecutor() {
        return task -> {
            inFlight.begin();
            try {
                workers.execute(() -> {
                    try {
                        task.run();
                    } finally {
                        inFlight.end();
                    }
                });
            } catch (RuntimeException e) {
                inFlight.end();
                throw e;
            }
        };
    }

    /** Requests received and not yet answered. */
    public int inFlight() { return inFlight.get(); }

    public int queuedRequests() { return workers.getQueue().size(); }

    /** Stops accepting, waits up to {@code drainMillis} for in-flight requests, then closes everything. */
    public void shutdown(long drainMillis) {
        synchronized (listeners) {
            for (Channel ch : listeners) ch.close().syncUninterruptibly();
            listeners.clear();
        }
        try {
            if (!inFlight.awaitIdle(drainMillis)) Log.warn("shutdown: requests still in flight after drain timeout", "in_flight", inFlight.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdown();
        try {
            workers.awaitTermination(drainMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connections.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        io.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Override
    public void close() {
        shutdown(10_000);
    }
}
