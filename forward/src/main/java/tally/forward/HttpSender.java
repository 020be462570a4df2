package tally.forward;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** Posts one compressed remote-write request to a target and classifies the answer. Thread-safe. */
final class HttpSender {
    static final String USER_AGENT = "Tally/" + version();

    /** What became of a request. */
    enum Kind { OK, RETRY, DROP, NOT_V2 }

    /**
     * @param retryAfterMillis the target's {@code Retry-After}, or -1
     * @param samplesWritten   the 2.0 {@code X-Prometheus-Remote-Write-Samples-Written} header, or -1 when absent
     */
    record Outcome(Kind kind, int status, long retryAfterMillis, long samplesWritten, String message) {}

    private final RemoteWriteConfig cfg;
    private final HttpClient client;

    HttpSender(RemoteWriteConfig cfg) {
        this.cfg = cfg;
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(cfg.remoteTimeout()).followRedirects(HttpClient.Redirect.NEVER);
        if (cfg.sslContext() != null) b.sslContext(cfg.sslContext());
        // tls_config.server_name (SNI and the certificate check) is handled inside the context the configuration built
        this.client = b.build();
    }

    Outcome send(byte[] body, int length, String contentType, String version, boolean v2) throws InterruptedException {
        HttpRequest.Builder rb = HttpRequest.newBuilder(cfg.url()).timeout(cfg.remoteTimeout())
                .header("Content-Encoding", "snappy").header("Content-Type", contentType)
                .header("User-Agent", USER_AGENT).header("X-Prometheus-Remote-Write-Version", version);
        for (Map.Entry<String, String> h : cfg.headers().entrySet()) rb.header(h.getKey(), h.getValue());
        if (cfg.authorization() != null) {
            String auth;
            try {
                auth = cfg.authorization().get();
            } catch (RuntimeException e) {
                return new Outcome(Kind.RETRY, 0, -1, -1, "credentials: " + e.getMessage());
            }
            if (auth != null) rb.header("Authorization", auth);
        }
        HttpResponse<byte[]> resp;
        try {
            resp = client.send(rb.POST(HttpRequest.BodyPublishers.ofByteArray(body, 0, length)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return new Outcome(Kind.RETRY, 0, -1, -1, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (IllegalArgumentException e) {
            return new Outcome(Kind.DROP, 0, -1, -1, e.getMessage());
        }
        int status = resp.statusCode();
        long written = resp.headers().firstValueAsLong("X-Prometheus-Remote-Write-Samples-Written").orElse(-1);
        String text = status / 100 == 2 ? "" : "HTTP " + status + ": " + snippet(resp.body());
        if (status / 100 == 2) {
            if (v2 && resp.headers().firstValue("X-Prometheus-Remote-Write-Samples-Written").isEmpty()) {
                return new Outcome(Kind.NOT_V2, status, -1, -1, "a 2xx without X-Prometheus-Remote-Write-Samples-Written: the target speaks 1.0 only");
            }
            return new Outcome(Kind.OK, status, -1, written, "");
        }
        if (v2 && status == 415) return new Outcome(Kind.NOT_V2, status, -1, -1, text);
        long retryAfter = retryAfterMillis(resp.headers().firstValue("Retry-After").orElse(null));
        if (status / 100 == 5) return new Outcome(Kind.RETRY, status, retryAfter, -1, text);
        if (status == 429 && cfg.queue().retryOnHttp429()) return new Outcome(Kind.RETRY, status, retryAfter, -1, text);
        return new Outcome(Kind.DROP, status, -1, -1, text);
    }

    /** Retry-After as seconds or an HTTP date; -1 when absent or unreadable. */
    static long retryAfterMillis(String v) {
        if (v == null || v.isBlank()) return -1;
        try {
            return Math.max(0, Long.parseLong(v.trim())) * 1000;
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, at.toInstant().toEpochMilli() - System.currentTimeMillis());
            } catch (RuntimeException e2) {
                return -1;
            }
        }
    }

    private static String snippet(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 512), StandardCharsets.UTF_8).trim();
        return s.isEmpty() ? "(empty body)" : s;
    }

    private static String version() {
        String v = HttpSender.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
