package tally.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrame;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A minimal unary gRPC client for the load generator: one HTTP/2 connection with prior knowledge (h2c, as
 * OpenTelemetry exporters open it), one stream per call, the message framed with gRPC's 5-byte prefix,
 * uncompressed. Returns the {@code grpc-status} and {@code grpc-message} of the reply's trailers.
 */
public final class GrpcClient implements AutoCloseable {
    /** The call's grpc-status and grpc-message, and the reply message without its 5-byte prefix (empty when none). */
    public record Result(int status, String message, byte[] reply) {
        Result(int status, String message) {
            this(status, message, new byte[0]);
        }
    }

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel connection;
    private final String authority;

    public GrpcClient(URI target) throws IOException {
        authority = target.getHost() + ":" + target.getPort();
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                // a large window so multi-megabyte requests are not paced by WINDOW_UPDATE round trips
                ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().initialSettings(Http2Settings.defaultSettings()
                        .initialWindowSize(16 << 20)).build(), new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()),
                        new ConnectionErrors());
            }
        });
        try {
            connection = b.connect(target.getHost(), target.getPort()).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + target, e);
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException("cannot connect to " + target + ": " + e, e);
        }
    }

    /** One unary call of {@code path} with {@code message}; waits up to two minutes for its trailers. */
    public Result call(String path, byte[] message) throws IOException, InterruptedException {
        CompletableFuture<Result> done = new CompletableFuture<>();
        Http2StreamChannel stream;
        try {
            stream = new Http2StreamChannelBootstrap(connection).handler(new ReplyHandler(done)).open().sync().getNow();
        } catch (Exception e) {
            throw new IOException("cannot open a stream: " + e, e);
        }
        Http2Headers headers = new DefaultHttp2Headers().method("POST").scheme("http").path(path).authority(authority)
                .set("content-type", "application/grpc").set("te", "trailers").set("user-agent", "tally-loadgen/1");
        ByteBuf body = Unpooled.buffer(5 + message.length);
        body.writeByte(0).writeInt(message.length).writeBytes(message);
        stream.write(new DefaultHttp2HeadersFrame(headers));
        stream.writeAndFlush(new DefaultHttp2DataFrame(body, true));
        try {
            return done.get(2, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw new IOException("gRPC call failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            stream.close();
            throw new IOException("no gRPC reply within 2 minutes");
        }
    }

    @Override
    public void close() {
        connection.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** Completes with the status of the first headers frame that carries grpc-status (trailers or trailers-only). */
    private static final class ReplyHandler extends SimpleChannelInboundHandler<Http2StreamFrame> {
        private final CompletableFuture<Result> done;
        private int httpStatus = -1;
        private final java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();

        ReplyHandler(CompletableFuture<Result> done) {
            this.done = done;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame frame) {
            if (frame instanceof Http2HeadersFrame h) {
                CharSequence status = h.headers().status();
                if (status != null) httpStatus = Integer.parseInt(status.toString());
                CharSequence grpc = h.headers().get("grpc-status");
                if (grpc != null) {
                    CharSequence msg = h.headers().get("grpc-message");
                    byte[] all = data.toByteArray();
                    byte[] reply = all.length > 5 ? java.util.Arrays.copyOfRange(all, 5, all.length) : new byte[0];
                    done.complete(new Result(Integer.parseInt(grpc.toString()), msg == null ? "" : msg.toString(), reply));
                } else if (h.isEndStream()) {
                    done.complete(new Result(-httpStatus, "HTTP " + httpStatus + " without grpc-status"));
                }
                if (h.isEndStream()) ctx.close();
            } else if (frame instanceof Http2DataFrame d0 && !d0.isEndStream()) {
                byte[] chunk = new byte[d0.content().readableBytes()];
                d0.content().getBytes(d0.content().readerIndex(), chunk);
                data.write(chunk, 0, chunk.length);
            } else if (frame instanceof Http2DataFrame d && d.isEndStream() && !done.isDone()) {
                done.complete(new Result(-httpStatus, "stream ended without trailers"));
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            done.completeExceptionally(new ClosedChannelException());
        }
    }

    /**
     * A connection reset (the server killed, as the soak benchmark does) closes the connection; its calls fail through
     * their streams. Without this Netty logs the reset as an unhandled exception, a stack trace per kill.
     */
    private static final class ConnectionErrors extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
