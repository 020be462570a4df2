package tally.server.web;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.server.testing.ExternalTool;
import tally.server.testing.TestCerts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tally.server.web.WebConfigParserTest.GO_2A;
import static tally.server.web.WebConfigParserTest.HTPASSWD_2Y;
import static tally.server.web.WebConfigParserTest.PYTHON_2B;

/**
 * {@code tally check web-config} and Debian's {@code promtool check web-config} (Prometheus 2.42) accept and refuse
 * the same files: a corpus of good and bad web configurations in Prometheus's format, with openssl-made certificates.
 * (Keys Prometheus added after 2.42, such as client_allowed_sans and rate_limit, are left out: 2.42 refuses them.)
 */
class WebConfigPromtoolTest {
    @TempDir
    Path dir;

    private Map<String, String> corpus() {
        Map<String, String> c = new LinkedHashMap<>();
        String tls = "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n";
        c.put("good-empty", "");
        c.put("good-users", "basic_auth_users:\n  y: " + HTPASSWD_2Y + "\n  b: " + PYTHON_2B + "\n  a: " + GO_2A + "\n");
        c.put("good-headers", "http_server_config:\n  http2: false\n  headers:\n    X-Frame-Options: sameorigin\n"
                + "    X-Content-Type-Options: nosniff\n    Content-Security-Policy: default-src 'self'\n"
                + "    Strict-Transport-Security: max-age=3600\n    X-XSS-Protection: '1; mode=block'\n");
        c.put("good-tls", tls);
        c.put("good-tls-users", tls + "basic_auth_users:\n  alice: " + HTPASSWD_2Y + "\n");
        c.put("good-mtls", tls + "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n");
        c.put("good-verify-if-given", tls + "  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: ca.crt\n");
        c.put("good-request-cert", tls + "  client_auth_type: RequestClientCert\n");
        c.put("good-require-any", tls + "  client_auth_type: RequireAnyClientCert\n");
        c.put("good-versions-ciphers", tls + "  min_version: TLS13\n  max_version: TLS13\n"
                + "  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384]\n"
                + "  curve_preferences: [X25519, CurveP256]\n  prefer_server_cipher_suites: false\n");
        c.put("good-ec-client-key-as-server", "tls_server_config:\n  cert_file: client.crt\n  key_file: client.key\n");
        c.put("good-pkcs1-key", "tls_server_config:\n  cert_file: server.crt\n  key_file: server-pkcs1.key\n");
        c.put("good-sec1-key", "tls_server_config:\n  cert_file: client.crt\n  key_file: client-sec1.key\n");
        c.put("bad-junk", "this: is: not yaml\n");
        c.put("bad-unknown-top-key", "basic_auth_user:\n  a: " + GO_2A + "\n");
        c.put("bad-unknown-tls-key", tls + "  cert: inline\n".replace("cert: inline", "certfile: x"));
        c.put("bad-plain-password", "basic_auth_users:\n  alice: s3cret\n");
        c.put("bad-header-name", "http_server_config:\n  headers:\n    X-Powered-By: tally\n");
        c.put("bad-header-value", "http_server_config:\n  headers:\n    X-Frame-Options: allow-from\n");
        c.put("bad-cert-missing", "tls_server_config:\n  cert_file: nowhere.crt\n  key_file: server.key\n");
        c.put("bad-key-missing", "tls_server_config:\n  cert_file: server.crt\n");
        c.put("bad-cert-only-key", "tls_server_config:\n  key_file: server.key\n");
        c.put("bad-key-mismatch", "tls_server_config:\n  cert_file: server.crt\n  key_file: client.key\n");
        c.put("bad-ca-without-policy", tls + "  client_ca_file: ca.crt\n");
        c.put("bad-client-auth", tls + "  client_auth_type: Sometimes\n");
        c.put("bad-ca-file-missing", tls + "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: nowhere.crt\n");
        c.put("bad-cipher", tls + "  cipher_suites: [TLS_RSA_WITH_RC4_128_SHA]\n");
        c.put("bad-curve", tls + "  curve_preferences: [P256]\n");
        c.put("bad-version", tls + "  min_version: SSL3\n");
        c.put("bad-only-client-auth", "tls_server_config:\n  client_auth_type: RequireAndVerifyClientCert\n");
        c.put("bad-http2-type", "http_server_config:\n  http2: maybe\n");
        // found by fuzzing: a header without a value (an NPE before); promtool reads it as ""
        c.put("bad-header-without-value", "http_server_config:\n  headers:\n    X-Content-Type-Options:\n");
        c.put("good-free-header-without-value", "http_server_config:\n  headers:\n    Content-Security-Policy:\n");
        return c;
    }

    @Test
    void tallyAndPromtoolAgreeOnEveryFile() throws Exception {
        Assumptions.assumeTrue(TestCerts.available(), "openssl is not installed");
        Assumptions.assumeTrue(ExternalTool.onPath("promtool"), "promtool is not installed (Debian package prometheus)");
        TestCerts.make(dir);
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, String> e : corpus().entrySet()) {
            Path f = dir.resolve(e.getKey() + ".yml");
            Files.writeString(f, e.getValue());
            ExternalTool.Result promtool = ExternalTool.run(dir, "promtool", "check", "web-config", f.toString());
            boolean tallyOk;
            String tallyWhy = "";
            try {
                WebConfigParser.check(f);
                tallyOk = true;
            } catch (WebConfigException ex) {
                tallyOk = false;
                tallyWhy = ex.getMessage();
            }
            boolean promOk = promtool.exitCode() == 0;
            assertEquals(e.getKey().startsWith("good"), tallyOk, e.getKey() + ": " + tallyWhy);
            if (promOk != tallyOk) differences.add(e.getKey() + ": promtool " + promtool.output().strip() + " / tally " + (tallyOk ? "ok" : tallyWhy));
        }
        assertEquals(List.of(), differences);
    }

    /** Tally's one extension: promtool refuses the key (its parser is strict), Tally takes it. */
    @Test
    void theIngestTokensExtensionIsTallysOwn() throws Exception {
        Path f = dir.resolve("tokens.yml");
        Files.writeString(f, WebConfigParser.TOKENS_KEY + ":\n  laptops: " + WebConfigParserTest.TOKEN_HASH + "\n");
        assertEquals(1, WebConfigParser.check(f).ingestTokens().size());
        Assumptions.assumeTrue(ExternalTool.onPath("promtool"), "promtool is not installed (Debian package prometheus)");
        ExternalTool.Result promtool = ExternalTool.run(dir, "promtool", "check", "web-config", f.toString());
        assertEquals(1, promtool.exitCode(), promtool.output());
        assertTrue(promtool.output().contains(WebConfigParser.TOKENS_KEY), promtool.output());
    }
}
