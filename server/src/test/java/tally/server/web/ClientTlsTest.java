package tally.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.server.testing.ExternalTool;
import tally.server.testing.TestCerts;

/**
 * The remote-write client's SSLContext against a JDK HttpsServer on 127.0.0.1 with openssl-made certificates, through
 * java.net.http.HttpClient as the sender uses it: trusted CA, wrong CA, insecure_skip_verify, mutual TLS, server_name
 * (verified instead of the URL's host, and sent as SNI), min/max_version.
 */
class ClientTlsTest {
    @TempDir
    Path dir;
    private TestCerts certs;
    private HttpsServer server;
    private ExecutorService pool;

    @BeforeEach
    void certificates() throws Exception {
        Assumptions.assumeTrue(TestCerts.available(), "openssl is not installed");
        certs = TestCerts.make(dir);
        // a server certificate for rw.example only (no IP, no localhost), from the same CA
        Files.writeString(dir.resolve("named.ext"), "subjectAltName=DNS:rw.example,DNS:*.wild.example\n");
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "named.key", "-out", "named.csr", "-subj", "/CN=127.0.0.1");
        run("openssl", "x509", "-req", "-in", "named.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "named.crt",
                "-days", "3650", "-extfile", "named.ext");
    }

    private void run(String... cmd) throws Exception {
        ExternalTool.Result r = ExternalTool.run(dir, cmd);
        if (r.exitCode() != 0) throw new IllegalStateException(String.join(" ", cmd) + ": " + r.output());
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
        if (pool != null) pool.shutdownNow();
    }

    /** Serves "SNI protocol client-subject" over TLS with the given certificate; needClientAuth asks for a certificate from ca.crt. */
    private int serve(String cert, String key, boolean needClientAuth, String... protocols) throws Exception {
        X509Certificate[] chain = Pem.certificates(Files.readString(dir.resolve(cert)), "cert").toArray(new X509Certificate[0]);
        PrivateKey pk = Pem.privateKey(Files.readString(dir.resolve(key)), chain[0]);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", pk, new char[0], chain);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", Pem.certificates(Files.readString(certs.caCert()), "ca").get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx) {
            @Override
            public void configure(HttpsParameters params) {
                var p = ctx.getDefaultSSLParameters();
                p.setNeedClientAuth(needClientAuth);
                if (protocols.length > 0) p.setProtocols(protocols);
                params.setSSLParameters(p);
            }
        });
        server.createContext("/", exchange -> {
            SSLSession s = ((HttpsExchange) exchange).getSSLSession();
            String sni = "-";
            if (s instanceof ExtendedSSLSession e) {
                for (SNIServerName n : e.getRequestedServerNames()) if (n instanceof SNIHostName h) sni = h.getAsciiName();
            }
            String client;
            try {
                client = ((X509Certificate) s.getPeerCertificates()[0]).getSubjectX500Principal().getName();
            } catch (SSLPeerUnverifiedException e) {
                client = "-";
            }
            byte[] body = (sni + " " + s.getProtocol() + " " + client).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        pool = Executors.newFixedThreadPool(2);
        server.setExecutor(pool);
        server.start();
        return server.getAddress().getPort();
    }

    private static String get(SSLContext ctx, String url) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    private static ClientTls.Spec spec(Path ca, Path cert, Path key, String serverName, boolean insecure, String min, String max) {
        return new ClientTls.Spec(null, ca, null, cert, null, key, serverName, insecure, min, max);
    }

    private Path f(String name) {
        return dir.resolve(name);
    }

    @Test
    void trustedCaWorksAndAWrongCaFails() throws Exception {
        int port = serve("server.crt", "server.key", false);
        String body = get(ClientTls.build(spec(certs.caCert(), null, null, null, false, null, null)), "https://127.0.0.1:" + port + "/");
        assertTrue(body.endsWith(" TLSv1.3 -"), body);
        assertTrue(get(ClientTls.build(spec(certs.caCert(), null, null, null, false, null, null)), "https://localhost:" + port + "/")
                .startsWith("localhost "), "the URL's host name is sent as SNI");
        assertThrows(IOException.class, () -> get(ClientTls.build(spec(certs.strangerCert(), null, null, null, false, null, null)),
                "https://127.0.0.1:" + port + "/"));
        assertThrows(IOException.class, () -> get(ClientTls.build(spec(null, null, null, null, false, null, null)),
                "https://127.0.0.1:" + port + "/"), "the JVM's default roots do not hold the test CA");
        // inline PEM works as the file does
        SSLContext inline = ClientTls.build(new ClientTls.Spec(Files.readString(certs.caCert()), null, null, null, null, null, null, false, null, null));
        get(inline, "https://127.0.0.1:" + port + "/");
    }

    @Test
    void theUrlsHostIsVerified() throws Exception {
        int port = serve("named.crt", "named.key", false);
        // trusted chain, but 127.0.0.1 is not a name of the certificate
        assertThrows(IOException.class, () -> get(ClientTls.build(spec(certs.caCert(), null, null, null, false, null, null)),
                "https://127.0.0.1:" + port + "/"));
    }

    @Test
    void insecureSkipVerifyAcceptsAnyChainAndName() throws Exception {
        int port = serve("stranger.crt", "stranger.key", false);
        assertThrows(IOException.class, () -> get(ClientTls.build(spec(certs.caCert(), null, null, null, false, null, null)),
                "https://127.0.0.1:" + port + "/"));
        String body = get(ClientTls.build(spec(null, null, null, null, true, null, null)), "https://127.0.0.1:" + port + "/");
        assertTrue(body.contains("TLSv1.3"), body);
        get(ClientTls.build(spec(certs.caCert(), null, null, null, true, null, null)), "https://localhost:" + port + "/");
    }

    @Test
    void clientCertificateForMutualTls() throws Exception {
        int port = serve("server.crt", "server.key", true);
        String url = "https://127.0.0.1:" + port + "/";
        String body = get(ClientTls.build(spec(certs.caCert(), certs.clientCert(), certs.clientKey(), null, false, null, null)), url);
        assertTrue(body.endsWith("CN=dev"), body);
        // the SEC1 form of the same key, as Go reads it
        assertTrue(get(ClientTls.build(spec(certs.caCert(), certs.clientCert(), f("client-sec1.key"), null, false, null, null)), url).endsWith("CN=dev"));
        assertThrows(IOException.class, () -> get(ClientTls.build(spec(certs.caCert(), null, null, null, false, null, null)), url),
                "no client certificate: refused");
        assertThrows(IOException.class, () -> get(ClientTls.build(spec(certs.caCert(), certs.strangerCert(), certs.strangerKey(), null, false,
                null, null)), url), "a certificate from another CA: refused");
    }

    @Test
    void serverNameIsVerifiedInsteadOfTheUrlsHostAndSentAsSni() throws Exception {
        int port = serve("named.crt", "named.key", false);
        String url = "https://127.0.0.1:" + port + "/";
        String body = get(ClientTls.build(spec(certs.caCert(), null, null, "rw.example", false, null, null)), url);
        assertTrue(body.startsWith("rw.example "), body);
        assertTrue(get(ClientTls.build(spec(certs.caCert(), null, null, "RW.example.", false, null, null)), url).contains("TLS"),
                "case and a trailing dot do not matter");
        assertTrue(get(ClientTls.build(spec(certs.caCert(), null, null, "a.wild.example", false, null, null)), url).startsWith("a.wild.example "));
        assertThrows(IOException.class, () -> get(ClientTls.build(spec(certs.caCert(), null, null, "a.b.wild.example", false, null, null)), url),
                "a wildcard is one label");
        assertThrows(IOException.class, () -> get(ClientTls.build(spec(certs.caCert(), null, null, "other.example", false, null, null)), url));
        assertThrows(IOException.class, () -> get(ClientTls.build(spec(certs.strangerCert(), null, null, "rw.example", false, null, null)), url),
                "the chain is still checked");
        // the certificate's CN is 127.0.0.1, but Go (and Tally) never fall back to the CN
        assertThrows(IOException.class, () -> get(ClientTls.build(spec(certs.caCert(), null, null, "127.0.0.1", false, null, null)), url));
    }

    @Test
    void serverNameMayBeAnIpAddress() throws Exception {
        int port = serve("server.crt", "server.key", false);
        String url = "https://localhost:" + port + "/";
        assertTrue(get(ClientTls.build(spec(certs.caCert(), null, null, "127.0.0.1", false, null, null)), url).contains("TLS"));
        assertThrows(IOException.class, () -> get(ClientTls.build(spec(certs.caCert(), null, null, "127.0.0.2", false, null, null)), url));
    }

    @Test
    void protocolVersions() throws Exception {
        int port = serve("server.crt", "server.key", false, "TLSv1.2");
        String url = "https://127.0.0.1:" + port + "/";
        assertTrue(get(ClientTls.build(spec(certs.caCert(), null, null, null, false, null, null)), url).contains(" TLSv1.2 "));
        assertThrows(IOException.class, () -> get(ClientTls.build(spec(certs.caCert(), null, null, null, false, "TLS13", null)), url),
                "min_version TLS13 against a TLS 1.2 server");
        assertTrue(get(ClientTls.build(spec(certs.caCert(), null, null, null, false, "TLS12", "TLS12")), url).contains(" TLSv1.2 "));
    }

    @Test
    void buildErrors() throws Exception {
        assertEquals("unknown TLS version: TLS9", assertThrows(WebConfigException.class,
                () -> ClientTls.build(spec(null, null, null, null, false, "TLS9", null))).getMessage());
        assertTrue(assertThrows(WebConfigException.class, () -> ClientTls.build(spec(f("nowhere.crt"), null, null, null, false, null, null)))
                .getMessage().startsWith("failed to read ca_file ("));
        assertTrue(assertThrows(WebConfigException.class, () -> ClientTls.build(spec(null, certs.clientCert(), certs.serverKey(), null, false,
                null, null))).getMessage().contains("private key does not match public key"));
    }
}
