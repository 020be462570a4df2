package tally.server.web;

import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.server.testing.ExternalTool;
import tally.server.testing.SdkScenario;
import tally.server.testing.TestCerts;
import tally.server.testing.TestServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS and mutual TLS on every listener with certificates made by openssl, checked with curl (HTTP/1.1 over TLS) and
 * the OpenTelemetry Java SDK's gRPC exporter (h2 over TLS, with ALPN).
 */
class WebTlsTest {
    @TempDir
    Path dir;
    private TestCerts certs;

    @BeforeEach
    void certificates() throws Exception {
        Assumptions.assumeTrue(TestCerts.available(), "openssl is not installed");
        Assumptions.assumeTrue(ExternalTool.onPath("curl"), "curl is not installed");
        certs = TestCerts.make(dir);
    }

    private TestServer server(String tlsYaml) throws Exception {
        Path f = dir.resolve("web.yml");
        Files.writeString(f, "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n" + tlsYaml);
        return new TestServer(c -> c.webConfigFile = f.toString());
    }

    /** curl's HTTP status, or "000" with its exit code when the connection failed. */
    private String curl(String url, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10",
                "--cacert", certs.caCert().toString()));
        cmd.addAll(List.of(extra));
        cmd.add(url);
        ExternalTool.Result r = ExternalTool.run(dir, cmd.toArray(new String[0]));
        return r.exitCode() == 0 ? r.output().strip() : r.output().strip() + " exit " + r.exitCode();
    }

    private static String https(TestServer s, int port, String path) {
        return "https://127.0.0.1:" + port + path;
    }

    @Test
    void everyListenerServesTls() throws Exception {
        try (TestServer s = server("")) {
            int web = s.server.webAddress().getPort(), otlp = s.server.otlpAddress().getPort();
            assertEquals("200", curl(https(s, web, "/-/healthy")));
            assertEquals("200", curl(https(s, otlp, "/-/healthy")));
            assertEquals("200", curl(https(s, web, "/-/healthy"), "--tlsv1.3"));
            assertNotEquals("200", curl("http://127.0.0.1:" + web + "/-/healthy"), "plain HTTP is not served");
            assertTrue(curl(https(s, web, "/-/healthy"), "--cacert", certs.strangerCert().toString()).contains("exit"),
                    "a client that does not trust the certificate refuses it");

            String caPem = Files.readString(certs.caCert());
            SdkScenario.run(OtlpGrpcMetricExporter.builder().setEndpoint("https://127.0.0.1:" + s.grpcPort())
                    .setTrustedCertificates(caPem.getBytes()).build());
            assertFalse(s.byName("jobs_done_total").isEmpty(), "gRPC over TLS (h2 by ALPN) landed");
        }
    }

    @Test
    void clientCertificatesAreRequiredAndVerified() throws Exception {
        try (TestServer s = server("  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n")) {
            String url = https(s, s.server.webAddress().getPort(), "/-/healthy");
            assertTrue(curl(url).contains("exit"), "no client certificate: the handshake fails");
            assertEquals("200", curl(url, "--cert", certs.clientCert().toString(), "--key", certs.clientKey().toString()));
            assertTrue(curl(url, "--cert", certs.strangerCert().toString(), "--key", certs.strangerKey().toString()).contains("exit"),
                    "a certificate from another CA is refused");
            String caPem = Files.readString(certs.caCert());
            SdkScenario.run(OtlpGrpcMetricExporter.builder().setEndpoint("https://127.0.0.1:" + s.grpcPort())
                    .setTrustedCertificates(caPem.getBytes())
                    .setClientTls(Files.readAllBytes(certs.clientKey()), Files.readAllBytes(certs.clientCert())).build());
            assertFalse(s.byName("jobs_done_total").isEmpty(), "gRPC with a client certificate landed");
        }
    }

    @Test
    void optionalClientCertificatesAndAllowedSans() throws Exception {
        try (TestServer s = server("  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: ca.crt\n")) {
            String url = https(s, s.server.webAddress().getPort(), "/-/healthy");
            assertEquals("200", curl(url), "no certificate is fine");
            assertEquals("200", curl(url, "--cert", certs.clientCert().toString(), "--key", certs.clientKey().toString()));
            assertTrue(curl(url, "--cert", certs.strangerCert().toString(), "--key", certs.strangerKey().toString()).contains("exit"),
                    "a certificate that is given is verified");
        }
        try (TestServer s = server("  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n"
                + "  client_allowed_sans: [other.example]\n")) {
            String url = https(s, s.server.webAddress().getPort(), "/-/healthy");
            assertTrue(curl(url, "--cert", certs.clientCert().toString(), "--key", certs.clientKey().toString()).contains("exit"),
                    "the client certificate's SAN dev.example is not allowed");
        }
        try (TestServer s = server("  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n"
                + "  client_allowed_sans: [dev.example]\n")) {
            String url = https(s, s.server.webAddress().getPort(), "/-/healthy");
            assertEquals("200", curl(url, "--cert", certs.clientCert().toString(), "--key", certs.clientKey().toString()));
        }
    }

    @Test
    void olderKeyEncodingsAndVersionLimits() throws Exception {
        Path f = dir.resolve("web.yml");
        Files.writeString(f, "tls_server_config:\n  cert_file: server.crt\n  key_file: server-pkcs1.key\n  min_version: TLS13\n");
        try (TestServer s = new TestServer(c -> c.webConfigFile = f.toString())) {
            String url = https(s, s.server.webAddress().getPort(), "/-/healthy");
            assertEquals("200", curl(url), "a PKCS#1 RSA key");
            assertTrue(curl(url, "--tls-max", "1.2").contains("exit"), "TLS 1.2 is below min_version");
        }
        Files.writeString(f, "tls_server_config:\n  cert_file: client.crt\n  key_file: client-sec1.key\n");
        try (TestServer s = new TestServer(c -> c.webConfigFile = f.toString())) {
            // the client certificate names dev.example, not 127.0.0.1: resolve that name to loopback for curl
            int port = s.server.webAddress().getPort();
            assertEquals("200", curl("https://dev.example:" + port + "/-/healthy", "--resolve", "dev.example:" + port + ":127.0.0.1"),
                    "a SEC1 EC key");
        }
    }
}
