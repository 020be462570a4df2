package tally.server.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebConfigParserTest {
    /** "s3cret" hashed by htpasswd -nbBC 10 (apache2-utils): the $2y$ users bring. */
    static final String HTPASSWD_2Y = "$2y$10$MuOF/zUVE6hS3gyLvfdONeU5Qi70lT9Xx5FtzvYprA9G1P75NTvYG";
    /** "s3cret" hashed by Python's bcrypt (python3-bcrypt): $2b$. */
    static final String PYTHON_2B = "$2b$10$rxJVEOp46cJ8jUUZVDFHPOPjrI1hByZV8CRFJeTTgHFiXswfuePDC";
    /** The same hash as Go's bcrypt writes it: $2a$ computes the same for ASCII passwords under 72 bytes. */
    static final String GO_2A = "$2a$10$rxJVEOp46cJ8jUUZVDFHPOPjrI1hByZV8CRFJeTTgHFiXswfuePDC";
    /** "tok3n" hashed by htpasswd. */
    static final String TOKEN_HASH = "$2y$10$7AAUbrHg4R.9ZgceyJMfAeQc.eh8c6yZgS2Nz3GqBwiITWJ9N6WTW";

    @TempDir
    Path dir;

    private WebConfig read(String yaml) throws Exception {
        Path f = dir.resolve("web.yml");
        Files.writeString(f, yaml);
        return WebConfigParser.read(f);
    }

    private String error(String yaml) {
        return assertThrows(WebConfigException.class, () -> read(yaml)).getMessage();
    }

    @Test
    void emptyFileMeansNoTlsNoAuth() throws Exception {
        WebConfig c = read("");
        assertNull(c.tls());
        assertFalse(c.authenticates());
        assertTrue(c.http2());
    }

    @Test
    void allThreeBcryptPrefixesVerify() throws Exception {
        WebConfig c = read("basic_auth_users:\n  y: " + HTPASSWD_2Y + "\n  b: " + PYTHON_2B + "\n  a: " + GO_2A + "\n");
        assertEquals(List.of("y", "b", "a"), List.copyOf(c.users().keySet()));
        for (String hash : c.users().values()) {
            assertTrue(Bcrypt.matches("s3cret", hash), hash);
            assertFalse(Bcrypt.matches("s3cret ", hash), hash);
        }
    }

    @Test
    void strictLikeExporterToolkit() {
        assertTrue(error("basic_auth_user:\n  a: " + GO_2A + "\n").contains("field basic_auth_user not found"));
        assertTrue(error("tls_server_config:\n  certfile: x\n").contains("field certfile not found"));
        assertTrue(error("basic_auth_users:\n  a: plaintext-password\n").contains("too short to be a bcrypted password"));
        assertTrue(error("basic_auth_users:\n  a: " + GO_2A + "\n  a: " + PYTHON_2B + "\n").contains("already defined"));
        assertTrue(error("http_server_config:\n  headers:\n    X-Custom: 1\n").contains("HTTP header \"X-Custom\" can not be configured"));
        assertTrue(error("http_server_config:\n  headers:\n    X-Frame-Options: allow\n").contains("invalid value for X-Frame-Options"));
        assertTrue(error("tls_server_config:\n  cert_file: a\n  min_version: TLS14\n").contains("unknown TLS version: TLS14"));
        assertTrue(error("tls_server_config:\n  cert_file: a\n  cipher_suites: [TLS_FOO]\n").contains("unknown cipher: TLS_FOO"));
        assertTrue(error("tls_server_config:\n  cert_file: a\n  curve_preferences: [P256]\n").contains("unknown curve: P256"));
        assertTrue(error("this: is: not yaml").contains("yaml"));
        assertTrue(error("- a list\n").contains("must be a mapping"));
    }

    @Test
    void headersRateLimitAndTokens() throws Exception {
        WebConfig c = read("http_server_config:\n  http2: false\n  headers:\n    X-Frame-Options: deny\n"
                + "    Strict-Transport-Security: max-age=31536000\nrate_limit:\n  burst: 5\n  interval: 1m30s\n"
                + WebConfigParser.TOKENS_KEY + ":\n  laptops: " + TOKEN_HASH + "\n");
        assertFalse(c.http2());
        assertEquals(Map.of("X-Frame-Options", "deny", "Strict-Transport-Security", "max-age=31536000"), c.headers());
        assertEquals(new WebConfig.RateLimit(5, 90_000), c.rateLimit());
        assertEquals(Map.of("laptops", TOKEN_HASH), c.ingestTokens());
        assertTrue(c.authenticates());
        assertNull(read("rate_limit:\n  burst: 5\n").rateLimit(), "no interval: no limiter, as exporter-toolkit");
    }

    @Test
    void tlsPathsResolveAgainstTheFile() throws Exception {
        WebConfig c = read("tls_server_config:\n  cert_file: certs/s.crt\n  key_file: /abs/s.key\n");
        assertEquals(dir.resolve("certs/s.crt"), c.tls().certFile());
        assertEquals(Path.of("/abs/s.key"), c.tls().keyFile());
        assertEquals("TLS12", c.tls().minVersion());
        assertEquals("TLS13", c.tls().maxVersion());
        assertNull(c.tls().clientAllowedSans());
    }

    @Test
    void goDurations() {
        assertEquals(1500, GoDuration.parseMillis("1.5s"));
        assertEquals(90_000, GoDuration.parseMillis("1m30s"));
        assertEquals(3_600_000, GoDuration.parseMillis("1h"));
        assertEquals(0, GoDuration.parseMillis("0"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parseMillis("5"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parseMillis("5d"));
    }

    @Test
    void credentials() {
        assertEquals(new Credentials("alice", "s3:cret"), Credentials.parse("Basic YWxpY2U6czM6Y3JldA=="));
        assertEquals(new Credentials("alice", "s3:cret"), Credentials.parse("basic YWxpY2U6czM6Y3JldA=="));
        assertEquals(new Credentials(null, "tok3n"), Credentials.parse("Bearer tok3n"));
        assertNull(Credentials.parse("Basic !!!"));
        assertNull(Credentials.parse("Basic YWxpY2U="), "no colon");
        assertNull(Credentials.parse("Digest x"));
        assertNull(Credentials.parse(null));
    }

    @Test
    void rateLimiterIsATokenBucket() {
        long[] now = {0};
        RateLimiter r = new RateLimiter(new WebConfig.RateLimit(2, 1000), () -> now[0]);
        assertTrue(r.tryAcquire());
        assertTrue(r.tryAcquire());
        assertFalse(r.tryAcquire(), "burst spent");
        now[0] += 999_000_000L;
        assertFalse(r.tryAcquire());
        now[0] += 1_000_000L;
        assertTrue(r.tryAcquire(), "one more after an interval");
        assertFalse(new RateLimiter(new WebConfig.RateLimit(0, 1000), () -> 0).tryAcquire(), "burst 0 lets nothing through");
    }

    /** Found by fuzzing: TLS errors name the file; a device or a huge file is not read whole; long names do not overflow. */
    @Test
    void tlsMaterialProblemsNameTheFileAndStayBounded() throws Exception {
        Path f = dir.resolve("web.yml");
        Files.writeString(f, "tls_server_config:\n  cert_file: /dev/zero\n  key_file: /dev/zero\n");
        String zero = assertThrows(WebConfigException.class, () -> WebConfigParser.check(f)).getMessage();
        assertEquals("web config file " + f + ": tls_server_config: failed to read cert_file (/dev/zero): larger than 1 MiB, not a PEM file", zero);

        String longName = "server.crt".repeat(2000);
        Files.writeString(f, "tls_server_config:\n  cert_file: " + longName + "\n  key_file: k\n");
        String tooLong = assertThrows(WebConfigException.class, () -> WebConfigParser.check(f)).getMessage();
        assertTrue(tooLong.startsWith("web config file " + f + ": tls_server_config: failed to read cert_file"), tooLong);

        Files.writeString(f, "tls_server_config:\n  cert: |\n    -----BEGIN CERTIFICATE-----\n    MII.\n    -----END CERTIFICATE-----\n"
                + "  key: k\n");
        String base64 = assertThrows(WebConfigException.class, () -> WebConfigParser.check(f)).getMessage();
        assertTrue(base64.startsWith("web config file " + f + ": tls_server_config: failed to load X509KeyPair: "), base64);
        assertFalse(base64.contains("java."), "no exception class names: " + base64);

        Files.writeString(f, "tls_server_config:\n  cert_file: nowhere.crt\n  key_file: k\n");
        assertTrue(assertThrows(WebConfigException.class, () -> WebConfigParser.check(f)).getMessage().endsWith("nowhere.crt): no such file"));
    }
}
