package tally.server.otlp;

import io.netty.handler.codec.http.HttpResponseStatus;
import tally.server.http.Handler;
import tally.server.http.Request;
import tally.server.http.Response;

/** {@code /v1/traces}: Tally stores metrics only (logs become metrics), so traces get 404 with an OTLP Status body. */
public final class UnsupportedSignalHandler implements Handler {
    private final String signal;

    public UnsupportedSignalHandler(String signal) { this.signal = signal; }

    @Override
    public Response handle(Request req) {
        OtlpEncoding enc = OtlpEncoding.of(req.header("Content-Type"));
        return OtlpReplies.status(HttpResponseStatus.NOT_FOUND, enc, OtlpReplies.UNIMPLEMENTED,
                "Tally stores only metrics; OTLP " + signal + " are not accepted (set OTEL_" + signal.toUpperCase() + "_EXPORTER=none)");
    }
}
