package tally.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import tally.server.metrics.MetricWriter;
import tally.server.metrics.MetricsRegistry;

import java.nio.charset.StandardCharsets;

/** {@code /-/healthy}, {@code /-/ready} (Prometheus's wording) and {@code /metrics}. */
public final class StaticHandlers {
    private StaticHandlers() {}

    public static Handler healthy() {
        return r -> Response.text(HttpResponseStatus.OK, "Tally is Healthy.");
    }

    public static Handler ready() {
        return r -> Response.text(HttpResponseStatus.OK, "Tally is Ready.");
    }

    public static Handler metrics(MetricsRegistry registry) {
        return r -> new Response(HttpResponseStatus.OK, MetricWriter.CONTENT_TYPE, registry.render().getBytes(StandardCharsets.UTF_8));
    }
}
