package tally.server.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Certificates made by {@code openssl} for TLS tests: a CA, a server certificate for 127.0.0.1/localhost (RSA, PKCS#8
 * key), a client certificate with SAN {@code dev.example} (EC P-256) and a second client certificate from another,
 * untrusted CA. The server and client keys also come as PKCS#1 ({@code server-pkcs1.key}) and SEC1
 * ({@code client-sec1.key}). All files sit in {@code dir}.
 */
public record TestCerts(Path dir) {
    public Path caCert() { return dir.resolve("ca.crt"); }
    public Path serverCert() { return dir.resolve("server.crt"); }
    public Path serverKey() { return dir.resolve("server.key"); }
    public Path clientCert() { return dir.resolve("client.crt"); }
    public Path clientKey() { return dir.resolve("client.key"); }
    public Path strangerCert() { return dir.resolve("stranger.crt"); }
    public Path strangerKey() { return dir.resolve("stranger.key"); }

    public static boolean available() {
        return ExternalTool.onPath("openssl");
    }

    public static TestCerts make(Path dir) throws IOException, InterruptedException {
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        Files.writeString(dir.resolve("client.ext"), "subjectAltName=DNS:dev.example\n");
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "3650",
                "-subj", "/CN=tally-test-ca");
        run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
        run(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.crt", "-days", "3650", "-extfile", "server.ext");
        run(dir, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "client.key",
                "-out", "client.csr", "-subj", "/CN=dev");
        run(dir, "openssl", "x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "client.crt", "-days", "3650", "-extfile", "client.ext");
        // the older key encodings Go also reads: PKCS#1 RSA and SEC1 EC
        run(dir, "openssl", "rsa", "-in", "server.key", "-traditional", "-out", "server-pkcs1.key");
        run(dir, "openssl", "ec", "-in", "client.key", "-out", "client-sec1.key");
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "stranger.key", "-out", "stranger.crt",
                "-days", "3650", "-subj", "/CN=stranger");
        return new TestCerts(dir);
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        ExternalTool.Result r = ExternalTool.run(dir, command);
        if (r.exitCode() != 0) throw new IllegalStateException(String.join(" ", command) + " failed:\n" + r.output());
    }
}
