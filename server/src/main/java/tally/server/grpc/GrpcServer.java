package tally.server.grpc;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import tally.server.http.HttpServer;
import tally.server.log.Log;
import tally.server.metrics.ServerMetrics;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;

/**
 * The OTLP/gRPC listener: HTTP/2 over cleartext with prior knowledge (no TLS, no HTTP/1.1 upgrade; anything else
 * that connects gets a GOAWAY and is closed), unary Export calls only. It runs on the {@link HttpServer}'s event
 * loops and workers, so shutdown drains gRPC calls like HTTP requests before the storage closes.
 */
public final class GrpcServer {
    /** HTTP/2's SETTINGS_MAX_CONCURRENT_STREAMS per connection; its spec recommends no fewer than 100. */
    static final int MAX_CONCURRENT_STREAMS = 100;
    static final int STREAM_WINDOW_BYTES = 1 << 20;
    static final int CONNECTION_WINDOW_BYTES = 16 << 20;
    /** Longest a request may take to arrive once its headers did, when its grpc-timeout does not say sooner. */
    static final long READ_TIMEOUT_MILLIS = 60_000;

    private final OtlpGrpcMethods methods;
    private final int maxMessageBytes;
    private final ServerMetrics metrics;
    private Executor workers;
    private tally.server.web.WebSecurity security;

    /**
     * @param metrics         the metrics ingest
     * @param logs            the logs ingest
     * @param maxMessageBytes largest request message, compressed or inflated (RESOURCE_EXHAUSTED above)
     */
    public GrpcServer(ExportHandler metrics, ExportHandler logs, int maxMessageBytes, ServerMetrics serverMetrics) {
        this.methods = new OtlpGrpcMethods(metrics, logs);
        this.maxMessageBytes = maxMessageBytes;
        this.metrics = serverMetrics;
    }

    /** Listens on {@code address} with the event loops and workers of {@code http}; returns the bound address. */
    public InetSocketAddress listen(HttpServer http, InetSocketAddress address) throws InterruptedException {
        this.workers = http.requestExecutor();
        this.security = http.security();
        // windows of a whole typical export: with HTTP/2's default 64 KiB, a 1 MiB message costs a client 16 round
        // trips for WINDOW_UPDATE frames (and us as many frames and wake-ups)
        Http2Settings settings = Http2Settings.defaultSettings().maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                .initialWindowSize(STREAM_WINDOW_BYTES);
        return http.listen("otlp-grpc", address, tally.server.web.TlsContexts.Alpn.H2, ch -> ch.pipeline()
                .addLast(Http2FrameCodecBuilder.forServer().initialSettings(settings).build())
                .addLast(new ConnectionWindow())
                .addLast(new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel stream) {
                        stream.pipeline().addLast(new GrpcStreamHandler(GrpcServer.this));
                    }
                }))
                .addLast(new ConnectionErrors()));
    }

    OtlpGrpcMethods methods() { return methods; }

    int maxMessageBytes() { return maxMessageBytes; }

    long readTimeoutMillis() { return READ_TIMEOUT_MILLIS; }

    Executor workers() { return workers; }

    tally.server.web.WebSecurity security() { return security; }

    ServerMetrics metrics() { return metrics; }

    /** Opens the connection's receive window (not a SETTINGS value) to match the streams' windows. */
    private static final class ConnectionWindow extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            ctx.writeAndFlush(new DefaultHttp2WindowUpdateFrame(CONNECTION_WINDOW_BYTES - Http2CodecUtil.DEFAULT_WINDOW_SIZE));
            ctx.pipeline().remove(this);
            super.channelActive(ctx);
        }
    }

    /** Connection-level errors (a client that is not HTTP/2, a protocol error): the codec has sent GOAWAY; close. */
    private static final class ConnectionErrors extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            tally.model.Fatal.exitOnOutOfMemory(cause);
            if (!(cause instanceof IOException)) Log.debug("gRPC connection error", "err", cause.toString());
            ctx.close();
        }
    }
}
