package tally.server.fuzz;

import net.jqwik.api.Example;
import tally.server.testing.TestCerts;
import tally.server.web.WebConfig;
import tally.server.web.WebConfigException;
import tally.server.web.WebConfigParser;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzz target 8: {@code --web.config.file}, through {@link WebConfigParser#check} as {@code tally check web-config}
 * and the server's start run it (TLS material loaded and an SSL context built). Seeds: web configurations in
 * Prometheus's format (users, headers, HTTP/2, rate limit, Tally's ingest tokens, TLS with files, with inline PEM,
 * mTLS, versions, ciphers, curves) over openssl-made certificates when openssl is installed; mutated as text with a
 * YAML, web-config and PEM dictionary, so certificates and keys (PKCS#8, PKCS#1, SEC1) get mutated too. Property: the
 * file is usable (a file with TLS has built its SSL context), or a {@link WebConfigException}
 * whose message names the file; nothing else, never a hang. Long run: {@code bench/fuzz.sh web-config 1000000}.
 */
class WebConfigFuzzTest {
    private static final String HASH = "$2y$10$MuOF/zUVE6hS3gyLvfdONeU5Qi70lT9Xx5FtzvYprA9G1P75NTvYG";
    private static final String HASH_2B = "$2b$10$rxJVEOp46cJ8jUUZVDFHPOPjrI1hByZV8CRFJeTTgHFiXswfuePDC";

    @Example
    void everyWebConfigIsUsableOrRefusedWithTheFileNamed() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "fuzz-web-config").toAbsolutePath());
        boolean certs = TestCerts.available();
        if (certs && !Files.exists(dir.resolve("client-sec1.key"))) TestCerts.make(dir);
        Path file = dir.resolve("fuzz-web.yml");
        Mutator text = new Mutator(seeds(dir, certs), tokens(), 32 << 10, false);
        FuzzRun<byte[]> run = new FuzzRun<>("web-config", 3000, 11, text::next, yaml -> check(file, yaml), y -> y);
        FuzzRun.Report report = run.run();
        assertEquals(List.of(), report.failures(), report.summary());
    }

    static String check(Path file, byte[] yaml) throws Exception {
        Files.write(file, yaml);
        WebConfig c;
        try {
            c = WebConfigParser.check(file);
        } catch (WebConfigException e) {
            String m = e.getMessage();
            if (m == null || !m.contains(file.toString())) throw new AssertionError("an error that does not name the file: " + m);
            return "refused: " + Replies.reason(m.replace(file.toString(), "FILE").replaceFirst("^(web config file )?FILE: ", ""));
        }
        if (c.tls() == null) return c.users().isEmpty() ? "usable, plain HTTP" : "usable, plain HTTP with users";
        return "usable, TLS"; // check() built the SSL context: the listeners build theirs from the same material
    }

    private static List<byte[]> seeds(Path dir, boolean certs) throws Exception {
        List<String> s = new ArrayList<>();
        s.add("");
        s.add("basic_auth_users:\n  alice: " + HASH + "\n  bob: '" + HASH_2B + "'\n");
        s.add("http_server_config:\n  http2: false\n  headers:\n    X-Frame-Options: deny\n    X-Content-Type-Options: nosniff\n"
                + "    Content-Security-Policy: default-src 'self'\n    Strict-Transport-Security: max-age=31536000\n"
                + "    X-XSS-Protection: '1; mode=block'\n");
        s.add("rate_limit:\n  interval: 1s\n  burst: 10\nbasic_auth_users: {alice: \"" + HASH + "\"}\n");
        s.add("tally_ingest_tokens:\n  laptops: " + HASH + "\nbasic_auth_users:\n  grafana: " + HASH_2B + "\n");
        s.add("tls_server_config: {}\nhttp_server_config: {}\nbasic_auth_users: {}\n");
        if (certs) {
            String tls = "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n";
            s.add(tls);
            s.add(tls + "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n  client_allowed_sans: [dev.example]\n"
                    + "basic_auth_users:\n  alice: " + HASH + "\n");
            s.add(tls + "  min_version: TLS12\n  max_version: TLS13\n  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]\n"
                    + "  curve_preferences: [X25519, CurveP256]\n  prefer_server_cipher_suites: true\n");
            s.add("tls_server_config:\n  cert_file: client.crt\n  key_file: client-sec1.key\n  client_auth_type: RequestClientCert\n");
            s.add("tls_server_config:\n  cert_file: server.crt\n  key_file: server-pkcs1.key\n");
            s.add("tls_server_config:\n  cert: |\n" + indent(dir.resolve("server.crt")) + "  key: |\n" + indent(dir.resolve("server.key"))
                    + "  client_auth_type: VerifyClientCertIfGiven\n  client_ca: |\n" + indent(dir.resolve("ca.crt")));
            s.add("tls_server_config:\n  cert: |\n" + indent(dir.resolve("client.crt")) + "  key: |\n" + indent(dir.resolve("client.key")));
            s.add("tls_server_config:\n  cert: |\n" + indent(dir.resolve("server.crt")) + "  key: |\n" + indent(dir.resolve("server-pkcs1.key")));
        }
        List<byte[]> out = new ArrayList<>();
        for (String y : s) out.add(y.getBytes(StandardCharsets.UTF_8));
        return out;
    }

    private static String indent(Path pem) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (String line : Files.readAllLines(pem)) sb.append("    ").append(line).append('\n');
        return sb.toString();
    }

    private static List<byte[]> tokens() {
        List<String> t = List.of("tls_server_config:", "http_server_config:", "basic_auth_users:", "rate_limit:",
                "tally_ingest_tokens:", "cert_file: ", "key_file: ", "client_ca_file: ", "cert: ", "key: ", "client_ca: ",
                "client_auth_type: ", "client_allowed_sans: ", "min_version: ", "max_version: ", "cipher_suites: ", "curve_preferences: ",
                "prefer_server_cipher_suites: ", "http2: ", "headers:", "burst: ", "interval: ", "RequireAndVerifyClientCert",
                "VerifyClientCertIfGiven", "RequestClientCert", "RequireAnyClientCert", "NoClientCert", "TLS10", "TLS13", "SSL3",
                "CurveP521", "X25519", "TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "$2a$", "$2y$04$",
                "$2b$31$", "$2$", "-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----", "-----BEGIN PRIVATE KEY-----",
                "-----BEGIN RSA PRIVATE KEY-----", "-----BEGIN EC PRIVATE KEY-----", "-----END PRIVATE KEY-----",
                "-----BEGIN ENCRYPTED PRIVATE KEY-----", "MII", "AAAA", "====", "\n", "\n  ", "\n    ", ": ", "- ", "\t", "&a ", "*a", "<<: ",
                "!!binary ", "!!str ", "~", "|", ">", "{", "}", "[", "]", ",", "\"", "'", "#", "null", "true", "yes", "0x1f", "1e999",
                "-1", "0s", "1h", "99999999999999999999d", "/dev/zero", "/etc/passwd", "../", "server.crt", "ca.crt", "nowhere.pem");
        List<byte[]> out = new ArrayList<>();
        for (String s : t) out.add(s.getBytes(StandardCharsets.UTF_8));
        return out;
    }
}
