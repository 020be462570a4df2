package tally.server.web;

import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.server.testing.SdkScenario;
import tally.server.testing.TestServer;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --web.config.file on a running server: basic auth on every endpoint of every listener (as Prometheus: /metrics and
 * /-/healthy too), write-only bearer tokens on the ingest endpoints over HTTP and gRPC, the configured headers, the
 * rate limit, and a change to the file taking effect without a restart.
 */
class WebAuthServerTest {
    private static final String ALICE = "Basic " + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
    private static final String TOKEN = "Bearer tok3n";

    @TempDir
    Path dir;

    private Path webConfig(String yaml) throws Exception {
        Path f = dir.resolve("web.yml");
        Files.writeString(f, yaml);
        return f;
    }

    private static HttpResponse<String> send(TestServer s, String method, String url, String authorization, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) b.header("Authorization", authorization);
        if (body != null) b.header("Content-Type", "application/x-protobuf");
        return s.client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void usersGuardEverythingAndTokensOnlyWrite() throws Exception {
        Path f = webConfig("basic_auth_users:\n  alice: " + WebConfigParserTest.HTPASSWD_2Y + "\n"
                + WebConfigParser.TOKENS_KEY + ":\n  laptops: " + WebConfigParserTest.TOKEN_HASH + "\n"
                + "http_server_config:\n  headers:\n    X-Frame-Options: deny\n");
        try (TestServer s = new TestServer(c -> c.webConfigFile = f.toString())) {
            for (String url : List.of(s.webUrl("/metrics"), s.webUrl("/-/healthy"), s.webUrl("/api/v1/query?query=1"),
                    s.otlpUrl("/metrics"))) {
                HttpResponse<String> r = send(s, "GET", url, null, null);
                assertEquals(401, r.statusCode(), url);
                assertEquals(List.of("Basic"), r.headers().allValues("WWW-Authenticate"), url);
                assertEquals("Unauthorized\n", r.body());
                assertEquals("deny", r.headers().firstValue("X-Frame-Options").orElse(""), "headers on refusals too");
                assertEquals(200, send(s, "GET", url, ALICE, null).statusCode(), url);
                assertEquals(401, send(s, "GET", url, "Basic " + Base64.getEncoder().encodeToString("alice:wrong".getBytes()), null)
                        .statusCode(), url);
                assertEquals(401, send(s, "GET", url, "Basic " + Base64.getEncoder().encodeToString("mallory:s3cret".getBytes()), null)
                        .statusCode(), url + ": an unknown user");
            }
            HttpResponse<String> query = send(s, "GET", s.webUrl("/api/v1/query?query=1"), TOKEN, null);
            assertEquals(403, query.statusCode(), "a token cannot read");
            assertTrue(query.body().contains("may only send"), query.body());
            assertEquals("deny", send(s, "GET", s.webUrl("/metrics"), ALICE, null).headers().firstValue("X-Frame-Options").orElse(""));

            // ingest: a token or a user; nothing else. Both challenges are offered.
            byte[] empty = new byte[0];
            for (String url : List.of(s.otlpUrl("/v1/metrics"), s.webUrl("/api/v1/otlp/v1/metrics"), s.otlpUrl("/v1/logs"))) {
                HttpResponse<String> r = send(s, "POST", url, null, empty);
                assertEquals(401, r.statusCode(), url);
                assertEquals(List.of("Basic", "Bearer"), r.headers().allValues("WWW-Authenticate"), url);
                assertEquals(200, send(s, "POST", url, TOKEN, empty).statusCode(), url);
                assertEquals(200, send(s, "POST", url, ALICE, empty).statusCode(), url);
                assertEquals(401, send(s, "POST", url, "Bearer guess", empty).statusCode(), url);
            }

            // real exporters: the OTel SDK over HTTP and gRPC with the token as a header, and without
            SdkScenario.run(OtlpHttpMetricExporter.builder().setEndpoint(s.otlpUrl("/v1/metrics")).addHeader("Authorization", TOKEN).build());
            assertFalse(s.byName("jobs_done_total").isEmpty(), "the token's exports landed");
            MetricExporter grpc = OtlpGrpcMetricExporter.builder().setEndpoint("http://127.0.0.1:" + s.grpcPort())
                    .addHeader("authorization", TOKEN).build();
            int before = s.byName("jobs_done_total").values().iterator().next().size();
            SdkScenario.run(grpc);
            assertTrue(s.byName("jobs_done_total").values().iterator().next().size() > before, "the gRPC exports landed");
            String self = send(s, "GET", s.webUrl("/metrics"), ALICE, null).body();
            assertTrue(self.contains("tally_grpc_requests_total{method=\"metrics\",code=\"0\"}"), self);
        }
    }

    @Test
    void grpcWithoutCredentialsIsUnauthenticated() throws Exception {
        Path f = webConfig(WebConfigParser.TOKENS_KEY + ":\n  laptops: " + WebConfigParserTest.TOKEN_HASH + "\n");
        try (TestServer s = new TestServer(c -> c.webConfigFile = f.toString())) {
            // the SDK reports each refused export as a failure
            assertThrows(AssertionError.class, () -> SdkScenario.run(OtlpGrpcMetricExporter.builder()
                    .setEndpoint("http://127.0.0.1:" + s.grpcPort()).build()));
            assertThrows(AssertionError.class, () -> SdkScenario.run(OtlpGrpcMetricExporter.builder()
                    .setEndpoint("http://127.0.0.1:" + s.grpcPort()).addHeader("authorization", "Bearer wrong").build()));
            assertTrue(s.byName("jobs_done_total").isEmpty(), "nothing stored without a valid token");
            String self = s.get(s.webUrl("/metrics")).body(); // only tokens: reading stays open
            assertTrue(self.matches("(?s).*tally_grpc_requests_total\\{method=\"metrics\",code=\"16\"} [1-9].*"), self);
            assertEquals(200, s.get(s.webUrl("/api/v1/query?query=1")).statusCode());
        }
    }

    @Test
    void rateLimitAnswers429() throws Exception {
        Path f = webConfig("rate_limit:\n  burst: 2\n  interval: 1h\n");
        try (TestServer s = new TestServer(c -> c.webConfigFile = f.toString())) {
            assertEquals(200, s.get(s.webUrl("/-/healthy")).statusCode());
            assertEquals(200, s.get(s.webUrl("/-/healthy")).statusCode());
            HttpResponse<String> r = s.get(s.webUrl("/-/healthy"));
            assertEquals(429, r.statusCode());
            assertEquals("Too Many Requests\n", r.body());
        }
    }

    @Test
    void aChangedFileTakesEffectAndABrokenOneIsIgnored() throws Exception {
        Path f = webConfig("");
        try (TestServer s = new TestServer(c -> c.webConfigFile = f.toString())) {
            assertEquals(200, s.get(s.webUrl("/metrics")).statusCode());
            Files.writeString(f, "basic_auth_users:\n  alice: " + WebConfigParserTest.GO_2A + "\n");
            Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
            // the file is looked at once a second at most
            int status = 200;
            for (int i = 0; i < 50 && status == 200; i++) {
                Thread.sleep(100);
                status = s.get(s.webUrl("/metrics")).statusCode();
            }
            assertEquals(401, status);
            Files.writeString(f, "basic_auth_users: [broken\n");
            Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() + 10_000));
            Thread.sleep(1_100);
            assertEquals(401, s.get(s.webUrl("/metrics")).statusCode(), "a broken file leaves the last good one in force");
            assertEquals(200, send(s, "GET", s.webUrl("/metrics"), ALICE, null).statusCode());
        }
    }

    /** A refused upload that waits for 100-continue gets its 401 and a closed connection, never a hang. */
    @Test
    void refusedExpectContinueClosesTheConnection() throws Exception {
        Path f = webConfig("basic_auth_users:\n  alice: " + WebConfigParserTest.HTPASSWD_2Y + "\n");
        try (TestServer s = new TestServer(c -> c.webConfigFile = f.toString());
             java.net.Socket socket = new java.net.Socket("127.0.0.1", s.server.webAddress().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /api/v1/write HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\n"
                    + "Content-Length: 1000000\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII); // up to the close
            assertTrue(reply.startsWith("HTTP/1.1 401"), reply);
            assertFalse(reply.contains("100 Continue"), "no invitation to send the body: " + reply);
            assertTrue(reply.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), reply);
        }
    }
}
