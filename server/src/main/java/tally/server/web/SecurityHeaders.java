package tally.server.web;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;

import java.util.Map;

/** http_server_config.headers on every HTTP response of the connection, refusals included (as Prometheus does). */
public final class SecurityHeaders extends ChannelOutboundHandlerAdapter {
    private final WebSecurity security;

    public SecurityHeaders(WebSecurity security) {
        this.security = security;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse r) {
            for (Map.Entry<String, String> h : security.headers().entrySet()) r.headers().set(h.getKey(), h.getValue());
        }
        super.write(ctx, msg, promise);
    }
}
