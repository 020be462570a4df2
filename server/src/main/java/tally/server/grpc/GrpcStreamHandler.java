package tally.server.grpc;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;
import tally.server.log.Log;
import tally.server.ingest.IngestOutcome;
import tally.server.web.WebSecurity;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One unary call (one HTTP/2 stream, its own child channel): checks the request headers, reassembles the message,
 * runs the export on a worker and writes the reply. Every call of a connection has its own handler, so a stream
 * that stalls holds only its own buffer, and a request not complete by its deadline (grpc-timeout, at most the
 * server's read timeout) is reset with CANCEL, as grpc's PROTOCOL-HTTP2 says for incomplete requests.
 * Everything but the export itself runs on the connection's event loop.
 */
final class GrpcStreamHandler extends ChannelInboundHandlerAdapter {
    private final GrpcServer server;

    private boolean started;                 // request headers seen
    private OtlpGrpcMethods.Route route;
    private String encoding;
    private GrpcMessageReader reader;        // null once the message is complete or the call answered
    private ScheduledFuture<?> deadline;
    private boolean requestEnded;            // the client's END_STREAM arrived
    private boolean answered;                // a reply or reset is under way: later frames are dropped
    private boolean authorized;              // the web config's credentials check passed
    private GrpcMessageReader.Message waitingForAuth; // complete before the check finished

    GrpcStreamHandler(GrpcServer server) {
        this.server = server;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            // END_STREAM is noted first: an error answered while reading this frame then needs no RST_STREAM
            if (msg instanceof Http2HeadersFrame h) {
                requestEnded |= h.isEndStream();
                if (!started) onRequestHeaders(ctx, h.headers());
                if (h.isEndStream()) onEnd(ctx);
            } else if (msg instanceof Http2DataFrame d) {
                requestEnded |= d.isEndStream();
                if (!answered) onData(ctx, d);
                if (d.isEndStream()) onEnd(ctx);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequestHeaders(ChannelHandlerContext ctx, Http2Headers h) {
        started = true;
        String path = h.path() == null ? "" : h.path().toString();
        route = server.methods().resolve(path);
        if (!"POST".contentEquals(h.method())) {
            httpError(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "gRPC calls are POST requests");
            return;
        }
        String type = h.get("content-type") == null ? "" : h.get("content-type").toString();
        if (!type.startsWith("application/grpc")) {
            // grpc's PROTOCOL-HTTP2: a plain HTTP status, so that non-gRPC clients do not take a 200 for success
            httpError(ctx, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                    "content-type \"" + type + "\" is not gRPC: OTLP/gRPC requests are application/grpc");
            return;
        }
        if (route.handler() == null) {
            fail(ctx, route.refusal());
            return;
        }
        if (!type.equals("application/grpc") && !type.startsWith("application/grpc+proto") && !type.startsWith("application/grpc;")) {
            fail(ctx, new GrpcStatus(GrpcStatus.UNIMPLEMENTED, "content-type \"" + type + "\": Tally reads protobuf messages only"));
            return;
        }
        encoding = GrpcCompression.of(h.get("grpc-encoding"));
        if (!GrpcCompression.supported(encoding)) {
            // grpc's compression spec: UNIMPLEMENTED, with grpc-accept-encoding (in every reply's headers) naming what works
            fail(ctx, new GrpcStatus(GrpcStatus.UNIMPLEMENTED, "grpc-encoding \"" + encoding + "\" is not supported (use "
                    + GrpcCompression.ACCEPTED + ")"));
            return;
        }
        reader = new GrpcMessageReader(server.maxMessageBytes());
        long timeout = GrpcTimeout.millis(h.get("grpc-timeout"));
        long wait = timeout < 0 ? server.readTimeoutMillis() : Math.min(timeout, server.readTimeoutMillis());
        deadline = ctx.executor().schedule(() -> expire(ctx), wait, TimeUnit.MILLISECONDS);
        authorize(ctx, h.get("authorization"));
    }

    /**
     * The web config's check (every gRPC method only takes data in). bcrypt, when needed, runs off the event loop;
     * the message keeps arriving meanwhile and is exported only once the check passed.
     */
    private void authorize(ChannelHandlerContext ctx, CharSequence authorization) {
        WebSecurity security = server.security();
        if (!security.rateAllows()) {
            fail(ctx, GrpcStatus.of(new WebSecurity.Decision(429, "Too Many Requests", java.util.List.of())));
            return;
        }
        String header = authorization == null ? null : authorization.toString();
        WebSecurity.Decision quick = security.quickCheck(header, WebSecurity.Access.INGEST);
        if (quick != null) {
            authorized(ctx, quick);
            return;
        }
        security.check(header, WebSecurity.Access.INGEST).whenComplete((d, err) -> ctx.executor().execute(() ->
                authorized(ctx, err != null ? new WebSecurity.Decision(500, "credentials check failed", java.util.List.of()) : d)));
    }

    private void authorized(ChannelHandlerContext ctx, WebSecurity.Decision d) {
        if (answered && waitingForAuth == null) return; // the stream ended or failed meanwhile
        if (!d.allowed()) {
            waitingForAuth = null;
            fail(ctx, GrpcStatus.of(d));
            return;
        }
        authorized = true;
        if (waitingForAuth != null) {
            GrpcMessageReader.Message m = waitingForAuth;
            waitingForAuth = null;
            dispatch(ctx, m);
        }
    }

    private void onData(ChannelHandlerContext ctx, Http2DataFrame d) {
        if (reader == null) return; // the headers were refused and answered already
        try {
            reader.add(d.content());
        } catch (GrpcStatus.Failure f) {
            fail(ctx, f.status);
        }
    }

    private void onEnd(ChannelHandlerContext ctx) {
        if (answered || reader == null) return;
        cancelDeadline();
        GrpcMessageReader.Message message;
        try {
            message = reader.finish();
        } catch (GrpcStatus.Failure f) {
            fail(ctx, f.status);
            return;
        }
        reader = null;
        answered = true;
        if (!authorized) {
            waitingForAuth = message;
            return;
        }
        dispatch(ctx, message);
    }

    private void dispatch(ChannelHandlerContext ctx, GrpcMessageReader.Message message) {
        try {
            server.workers().execute(() -> run(ctx, message));
        } catch (RejectedExecutionException e) {
            reply(ctx, new GrpcStatus(GrpcStatus.UNAVAILABLE, "server overloaded, retry later"), null);
        }
    }

    /** On a worker: decompress, export, reply. */
    private void run(ChannelHandlerContext ctx, GrpcMessageReader.Message message) {
        GrpcStatus status;
        byte[] response = null;
        try {
            byte[] protobuf = GrpcCompression.decode(encoding, message, server.maxMessageBytes());
            IngestOutcome outcome = route.handler().export(protobuf);
            status = GrpcStatus.of(outcome);
            if (status.code() == GrpcStatus.OK) response = route.success().encode(outcome.rejected(), outcome.message());
        } catch (GrpcStatus.Failure f) {
            status = f.status;
        } catch (Throwable t) {
            tally.model.Fatal.exitOnOutOfMemory(t); // a JVM out of memory answers nothing reliably: restart, replay the WAL
            Log.error("gRPC export failed", "method", route.name(), "err", t.toString());
            status = new GrpcStatus(GrpcStatus.INTERNAL, "internal error: " + t.getMessage());
        }
        reply(ctx, status, response);
    }

    /** A reply message with OK trailers, or trailers-only for an error; from any thread. */
    private void reply(ChannelHandlerContext ctx, GrpcStatus status, byte[] response) {
        ctx.executor().execute(() -> {
            count(status.code());
            if (response == null) {
                ctx.writeAndFlush(new DefaultHttp2HeadersFrame(GrpcReplies.trailersOnly(status), true));
                return;
            }
            ctx.write(new DefaultHttp2HeadersFrame(GrpcReplies.headers()));
            ctx.write(new DefaultHttp2DataFrame(GrpcReplies.framed(response)));
            ctx.writeAndFlush(new DefaultHttp2HeadersFrame(GrpcReplies.trailers(status), true));
        });
    }

    /** Ends the call with an error status before (or instead of) running it. */
    private void fail(ChannelHandlerContext ctx, GrpcStatus status) {
        stopReading();
        count(status.code());
        ctx.write(new DefaultHttp2HeadersFrame(GrpcReplies.trailersOnly(status), true));
        endEarly(ctx);
    }

    private void httpError(ChannelHandlerContext ctx, HttpResponseStatus status, String text) {
        stopReading();
        count(status.code());
        ctx.write(new DefaultHttp2HeadersFrame(GrpcReplies.httpError(status)));
        ChannelFuture body = ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)), true));
        // the body waits for flow control, and a reset written now would overtake and discard it: reset once it is out
        if (!requestEnded) body.addListener(sent -> ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.NO_ERROR)));
    }

    /** grpc's "early server closure": a reply sent before the client finished is followed by RST_STREAM NO_ERROR. */
    private void endEarly(ChannelHandlerContext ctx) {
        if (!requestEnded) ctx.write(new DefaultHttp2ResetFrame(Http2Error.NO_ERROR));
        ctx.flush();
    }

    /** The request did not arrive whole in time: free its buffer and cancel the stream (the client sees CANCELLED). */
    private void expire(ChannelHandlerContext ctx) {
        if (answered) return;
        stopReading();
        server.metrics().grpcRequests.labels(route.name(), "cancelled").inc();
        Log.debug("gRPC request incomplete at its deadline, stream cancelled", "method", route.name());
        ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL));
    }

    private void stopReading() {
        answered = true;
        reader = null;
        cancelDeadline();
    }

    private void cancelDeadline() {
        if (deadline != null) deadline.cancel(false);
    }

    private void count(int code) {
        server.metrics().grpcRequests.labels(route == null ? "unknown" : route.name(), Integer.toString(code)).inc();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // the stream closed (done, or reset by the client): nothing more to read
        reader = null;
        answered = true;
        cancelDeadline();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        tally.model.Fatal.exitOnOutOfMemory(cause);
        Log.debug("gRPC stream error", "err", cause.toString());
        stopReading();
        ctx.close(); // resets the stream if it is still open
    }
}
