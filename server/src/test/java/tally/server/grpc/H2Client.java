package tally.server.grpc;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
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
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A test HTTP/2 client with prior knowledge (h2c), written with Netty's client codec: one connection, many
 * streams, each sent frame by frame as the test says (split anywhere, left unfinished), and each stream's reply
 * (headers, data, trailers, or a reset) collected.
 */
public final class H2Client implements AutoCloseable {
    public static final String METRICS = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
    public static final String LOGS = "/opentelemetry.proto.collector.logs.v1.LogsService/Export";

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel connection;

    public H2Client(int port) throws InterruptedException {
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
                        new Http2MultiplexHandler(new ChannelInboundHandlerAdapter())); // the server opens no streams
            }
        });
        connection = b.connect("127.0.0.1", port).sync().channel();
    }

    /** What came back on one stream; {@code trailers} is the headers themselves for a trailers-only reply. */
    public record Reply(Http2Headers headers, byte[] data, Http2Headers trailers, long resetCode) {
        public String status() { return headers == null ? null : String.valueOf(headers.status()); }

        /** grpc-status, or null when there was none (a reset, a plain HTTP error). */
        public Integer grpcStatus() {
            CharSequence s = trailers == null ? null : trailers.get("grpc-status");
            return s == null ? null : Integer.parseInt(s.toString());
        }

        public String grpcMessage() {
            CharSequence s = trailers == null ? null : trailers.get("grpc-message");
            return s == null ? "" : s.toString();
        }

        /** The reply message without its 5-byte gRPC prefix. */
        public byte[] message() {
            ByteBuffer b = ByteBuffer.wrap(data);
            if (b.get() != 0) throw new AssertionError("reply messages are not compressed");
            int length = b.getInt();
            if (length != data.length - 5) throw new AssertionError("one whole reply message: " + length + " vs " + (data.length - 5));
            return Arrays.copyOfRange(data, 5, data.length);
        }

        public boolean wasReset() { return resetCode >= 0; }
    }

    /** One stream under way. */
    public final class Call {
        final Http2StreamChannel stream;
        final CompletableFuture<Reply> reply;

        private Call(Http2StreamChannel stream, CompletableFuture<Reply> reply) {
            this.stream = stream;
            this.reply = reply;
        }

        /** Sends a DATA frame; it is dropped when the server has already answered and reset the stream. */
        public Call data(byte[] bytes, boolean end) {
            stream.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(bytes), end)).awaitUninterruptibly();
            return this;
        }

        public Reply await() throws Exception {
            return reply.get(20, TimeUnit.SECONDS);
        }
    }

    /** gRPC request headers for {@code path}; extra name/value pairs are added (a null value removes the header). */
    public static Http2Headers grpcHeaders(String path, String... extra) {
        Http2Headers h = new DefaultHttp2Headers().method("POST").scheme("http").authority("127.0.0.1").path(path)
                .set("content-type", "application/grpc").set("te", "trailers");
        for (int i = 0; i < extra.length; i += 2) {
            if (extra[i + 1] == null) h.remove(extra[i]); else h.set(extra[i], extra[i + 1]);
        }
        return h;
    }

    /** Opens a stream with these headers (ending it there when {@code end}). */
    public Call open(Http2Headers headers, boolean end) throws InterruptedException {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        Http2StreamChannel stream = new Http2StreamChannelBootstrap(connection).handler(new Collector(reply)).open().sync().getNow();
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(headers, end)).sync();
        return new Call(stream, reply);
    }

    /** A whole unary call: headers, then {@code body} in DATA frames of {@code chunk} bytes, the last one ending the stream. */
    public Reply call(Http2Headers headers, byte[] body, int chunk) throws Exception {
        Call c = open(headers, false);
        for (int off = 0; off < body.length; off += chunk) {
            int end = Math.min(body.length, off + chunk);
            c.data(Arrays.copyOfRange(body, off, end), end == body.length);
        }
        if (body.length == 0) c.data(new byte[0], true);
        return c.await();
    }

    public Reply call(String path, byte[] body, String... extraHeaders) throws Exception {
        return call(grpcHeaders(path, extraHeaders), body, 16 * 1024);
    }

    /** A gRPC Length-Prefixed-Message. */
    public static byte[] frame(boolean compressed, byte[] message) {
        return ByteBuffer.allocate(5 + message.length).put((byte) (compressed ? 1 : 0)).putInt(message.length).put(message).array();
    }

    public boolean isOpen() { return connection.isActive(); }

    @Override
    public void close() {
        connection.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Collects one stream's reply frames. */
    private static final class Collector extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<Reply> reply;
        private final ByteArrayOutputStream data = new ByteArrayOutputStream();
        private Http2Headers headers;

        Collector(CompletableFuture<Reply> reply) { this.reply = reply; }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2HeadersFrame h) {
                    if (headers == null) headers = h.headers();
                    if (h.isEndStream()) reply.complete(new Reply(headers, data.toByteArray(), h.headers(), -1));
                } else if (msg instanceof Http2DataFrame d) {
                    ByteBuf content = d.content();
                    byte[] bytes = new byte[content.readableBytes()];
                    content.readBytes(bytes);
                    data.writeBytes(bytes);
                    if (d.isEndStream()) reply.complete(new Reply(headers, data.toByteArray(), null, -1));
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof Http2ResetFrame r) reply.complete(new Reply(headers, data.toByteArray(), null, r.errorCode()));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            reply.complete(new Reply(headers, data.toByteArray(), null, -2)); // closed without a reset: no effect if already done
        }
    }
}
