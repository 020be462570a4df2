package tally.server.web;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.server.testing.ExternalTool;
import tally.server.testing.PrometheusProcess;
import tally.server.testing.TestCerts;
import tally.server.testing.TestServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tally next to Debian's Prometheus 2.42 and promtool: the same web config file gives the same status codes and
 * headers; Prometheus sends remote-write to Tally with basic_auth and with an authorization bearer token; promtool
 * queries Tally through TLS and basic auth (with --http.config.file where promtool has it).
 */
class PrometheusWebConfigTest {
    private static final String WEB_CONFIG = "basic_auth_users:\n  alice: " + WebConfigParserTest.HTPASSWD_2Y + "\n"
            + "http_server_config:\n  headers:\n    X-Frame-Options: deny\n    X-Content-Type-Options: nosniff\n";

    @TempDir
    Path dir;

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Status, challenges, the configured headers and (for a refusal) the body: what a client can tell apart. */
    private static String answer(HttpClient client, String base, String method, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofByteArray(new byte[0]) : HttpRequest.BodyPublishers.noBody());
        if (authorization != null) b.header("Authorization", authorization);
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " www-authenticate=" + r.headers().allValues("WWW-Authenticate")
                + " x-frame-options=" + r.headers().allValues("X-Frame-Options")
                + (r.statusCode() == 401 ? " body=" + r.body().strip() : "");
    }

    @Test
    void sameWebConfigSameAnswersAsPrometheus() throws Exception {
        String prometheus = PrometheusProcess.onPath("prometheus");
        Assumptions.assumeTrue(prometheus != null, "prometheus is not installed");
        Path web = dir.resolve("web.yml");
        Files.writeString(web, WEB_CONFIG);
        Path promDir = Files.createDirectories(dir.resolve("prom"));
        HttpClient client = HttpClient.newHttpClient();
        String[][] requests = {
                {"GET", "/metrics", null}, {"GET", "/metrics", basic("alice", "s3cret")}, {"GET", "/metrics", basic("alice", "wrong")},
                {"GET", "/metrics", basic("mallory", "s3cret")}, {"GET", "/metrics", "Basic !!!"}, {"GET", "/metrics", "Bearer tok3n"},
                {"GET", "/-/healthy", null}, {"GET", "/-/healthy", basic("alice", "s3cret")},
                {"GET", "/api/v1/query?query=1", null}, {"GET", "/api/v1/query?query=1", basic("alice", "s3cret")},
                {"GET", "/api/v1/labels", basic("alice", "s3cret")}, {"POST", "/api/v1/write", null},
                {"HEAD", "/-/ready", null},
        };
        List<String> prom = new ArrayList<>(), tally = new ArrayList<>();
        try (PrometheusProcess p = PrometheusProcess.start(prometheus, promDir, "global:\n  evaluation_interval: 1m\n", web)) {
            for (String[] r : requests) prom.add(r[0] + " " + r[1] + " " + r[2] + " -> " + answer(client, p.url(), r[0], r[1], r[2]));
        }
        try (TestServer s = new TestServer(c -> c.webConfigFile = web.toString())) {
            for (String[] r : requests) tally.add(r[0] + " " + r[1] + " " + r[2] + " -> " + answer(client, s.webUrl(""), r[0], r[1], r[2]));
        }
        assertEquals(prom, tally);
    }

    @Test
    void prometheusRemoteWritesWithBasicAuthAndABearerToken() throws Exception {
        String prometheus = PrometheusProcess.onPath("prometheus");
        Assumptions.assumeTrue(prometheus != null, "prometheus is not installed");
        Path web = dir.resolve("web.yml");
        Files.writeString(web, WEB_CONFIG + WebConfigParser.TOKENS_KEY + ":\n  senders: " + WebConfigParserTest.TOKEN_HASH + "\n");
        try (TestServer s = new TestServer(c -> c.webConfigFile = web.toString())) {
            String write = s.webUrl("/api/v1/write");
            Path promDir = Files.createDirectories(dir.resolve("prom"));
            int promPort = tally.server.testing.TallyProcess.freePort();
            // Prometheus scrapes itself once a second and forwards through three remote_write entries; each marks its
            // samples, so Tally's series tell which credentials got through
            String config = "global:\n  scrape_interval: 1s\n  evaluation_interval: 1m\n"
                    + "scrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ['127.0.0.1:" + promPort + "']\n"
                    + "remote_write:\n"
                    + sender("basic", write, "    basic_auth:\n      username: alice\n      password: s3cret\n")
                    + sender("bearer", write, "    authorization:\n      type: Bearer\n      credentials: tok3n\n")
                    + sender("wrong", write, "    basic_auth:\n      username: alice\n      password: nope\n");
            try (PrometheusProcess p = PrometheusProcess.start(prometheus, promDir, config, null, promPort)) {
                for (int i = 0; i < 200 && (s.byName("up").size() < 2); i++) Thread.sleep(100);
            }
            List<String> via = new ArrayList<>();
            s.byName("up").keySet().forEach(l -> via.add(l.get("via")));
            via.sort(null);
            assertEquals(List.of("basic", "bearer"), via, "the wrong password's samples were refused");
        }
    }

    private static String sender(String name, String url, String auth) {
        return "  - url: " + url + "\n    name: " + name + "\n" + auth
                + "    write_relabel_configs:\n      - target_label: via\n        replacement: " + name + "\n"
                + "    queue_config:\n      batch_send_deadline: 100ms\n      min_backoff: 50ms\n      max_backoff: 100ms\n";
    }

    @Test
    void promtoolQueriesThroughTlsAndBasicAuth() throws Exception {
        Assumptions.assumeTrue(ExternalTool.onPath("promtool"), "promtool is not installed");
        Assumptions.assumeTrue(TestCerts.available(), "openssl is not installed");
        TestCerts certs = TestCerts.make(dir);
        Path web = dir.resolve("web.yml");
        Files.writeString(web, WEB_CONFIG + "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n");
        Path httpConfig = dir.resolve("http.yml");
        Files.writeString(httpConfig, "basic_auth:\n  username: alice\n  password: s3cret\ntls_config:\n  ca_file: " + certs.caCert() + "\n");
        Path noAuth = dir.resolve("http-noauth.yml");
        Files.writeString(noAuth, "tls_config:\n  ca_file: " + certs.caCert() + "\n");
        // promtool has --http.config.file from 2.43 on; Debian's 2.42 takes the credentials from the URL and the CA from
        // Go's SSL_CERT_FILE instead, which exercises the same TLS and basic auth
        boolean httpConfigFlag = ExternalTool.run(dir, "promtool", "query", "instant", "--help").output().contains("http.config.file");
        try (TestServer s = new TestServer(c -> c.webConfigFile = web.toString())) {
            int port = s.server.webAddress().getPort();
            ExternalTool.Result ok = httpConfigFlag
                    ? ExternalTool.run(dir, "promtool", "query", "instant", "--http.config.file=" + httpConfig, "https://127.0.0.1:" + port, "vector(42)")
                    : ExternalTool.run(dir, "env", "SSL_CERT_FILE=" + certs.caCert(), "promtool", "query", "instant",
                            "https://alice:s3cret@127.0.0.1:" + port, "vector(42)");
            assertEquals(0, ok.exitCode(), ok.output());
            assertTrue(ok.output().contains("42"), ok.output());
            ExternalTool.Result refused = httpConfigFlag
                    ? ExternalTool.run(dir, "promtool", "query", "instant", "--http.config.file=" + noAuth, "https://127.0.0.1:" + port, "vector(42)")
                    : ExternalTool.run(dir, "env", "SSL_CERT_FILE=" + certs.caCert(), "promtool", "query", "instant",
                            "https://127.0.0.1:" + port, "vector(42)");
            assertNotEquals(0, refused.exitCode(), refused.output());
            assertTrue(refused.output().contains("401") || refused.output().contains("Unauthorized"), refused.output());
        }
    }
}
