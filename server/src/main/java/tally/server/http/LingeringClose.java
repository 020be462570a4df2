package tally.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DuplexChannel;

import java.util.concurrent.TimeUnit;

/**
 * Ends a connection whose answer went out before its request body was read (a body over the size limit). Closing at
 * once leaves unread body bytes in the kernel's receive buffer, so the close becomes a reset, and a reset can
 * destroy the answer before the client reads it: the client sees "connection reset" or "no bytes" instead of the
 * 413 (found by the OTLP/HTTP fuzz run, once in a million cases). So the write side is shut first (the client gets
 * the answer, then end-of-stream), the rest of the body keeps being read and dropped by the pipeline, and the
 * connection closes after a grace period, as Go's HTTP server does (close-write, then wait).
 */
final class LingeringClose {
    static final long GRACE_MILLIS = 1000;

    private LingeringClose() {}

    /** Once {@code answer} is written: close-write, then close after the grace period (or at once if it failed). */
    static void after(ChannelFuture answer) {
        answer.addListener(written -> {
            Channel ch = answer.channel();
            if (!written.isSuccess() || !(ch instanceof DuplexChannel duplex)) {
                ch.close();
                return;
            }
            duplex.shutdownOutput().addListener(shut ->
                    ch.eventLoop().schedule(() -> ch.close(), GRACE_MILLIS, TimeUnit.MILLISECONDS));
        });
    }
}
