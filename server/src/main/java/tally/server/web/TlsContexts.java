package tally.server.web;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * tls_server_config to a Netty server {@link SslContext} (the JDK's TLS): certificate and key, client certificate
 * policy with Go's five names, client CAs, allowed client SANs, protocol range and cipher suites. Checks what Go's
 * exporter-toolkit checks before serving, with its messages where a user would search for them.
 */
public final class TlsContexts {
    /** The names Go's tls.CipherSuites() lists (Go 1.19, Prometheus 2.42's, included the four TLS_RSA_ ones too). */
    static final Set<String> GO_CIPHER_SUITES = Set.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_RSA_WITH_AES_256_GCM_SHA384");
    /** Go always enables its TLS 1.3 suites whatever cipher_suites says; the JDK needs them listed. */
    private static final List<String> TLS13_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");
    private static final List<String> VERSIONS = List.of("TLS10", "TLS11", "TLS12", "TLS13");
    private static final Map<String, String> JDK_VERSIONS = Map.of("TLS10", "TLSv1", "TLS11", "TLSv1.1", "TLS12", "TLSv1.2",
            "TLS13", "TLSv1.3");
    private static final Map<String, String> JDK_CURVES = Map.of("CurveP256", "secp256r1", "CurveP384", "secp384r1",
            "CurveP521", "secp521r1", "X25519", "x25519");

    /** What a listener speaks inside TLS, offered with ALPN. */
    public enum Alpn {
        HTTP1("http/1.1"), H2("h2");

        final String protocol;

        Alpn(String protocol) {
            this.protocol = protocol;
        }
    }


    private TlsContexts() {}

    /** Checks everything {@link #build} needs, without building. */
    static void validate(WebConfig.Tls tls) throws WebConfigException {
        build(tls, Alpn.HTTP1);
    }

    public static SslContext build(WebConfig.Tls tls, Alpn alpn) throws WebConfigException {
        String certPem = Pem.read(tls.certFile(), tls.cert(), "cert_file", "missing one of cert or cert_file");
        String keyPem = Pem.read(tls.keyFile(), tls.key(), "key_file", "missing one of key or key_file");
        List<X509Certificate> chain = Pem.certificates(certPem, "failed to load X509KeyPair");
        if (chain.isEmpty()) throw new WebConfigException("failed to load X509KeyPair: tls: failed to find any PEM data in certificate input");
        String pkcs8 = PemKeys.toPkcs8Pem(keyPem);
        Pem.checkKeyMatches(chain.get(0), pkcs8);

        List<X509Certificate> clientCas = tls.clientCaFile() != null || tls.clientCa() != null
                ? Pem.certificates(Pem.read(tls.clientCaFile(), tls.clientCa(), "client_ca_file", null), "client_ca") : null;
        ClientAuth auth;
        boolean verify;
        switch (tls.clientAuth()) {
            case "", "NoClientCert" -> { auth = ClientAuth.NONE; verify = false; }
            case "RequestClientCert" -> { auth = ClientAuth.OPTIONAL; verify = false; }
            case "RequireAnyClientCert", "RequireClientCert" -> { auth = ClientAuth.REQUIRE; verify = false; }
            case "VerifyClientCertIfGiven" -> { auth = ClientAuth.OPTIONAL; verify = true; }
            case "RequireAndVerifyClientCert" -> { auth = ClientAuth.REQUIRE; verify = true; }
            default -> throw new WebConfigException("invalid ClientAuth: " + tls.clientAuth());
        }
        if (clientCas != null && auth == ClientAuth.NONE) {
            throw new WebConfigException("Client CA's have been configured without a Client Auth Policy");
        }
        int min = VERSIONS.indexOf(tls.minVersion()), max = VERSIONS.indexOf(tls.maxVersion());
        if (min > max) throw new WebConfigException("min_version " + tls.minVersion() + " is above max_version " + tls.maxVersion());
        List<String> protocols = new ArrayList<>();
        for (int v = max; v >= min; v--) protocols.add(JDK_VERSIONS.get(VERSIONS.get(v)));

        try {
            SslContextBuilder b = SslContextBuilder.forServer(stream(Pem.chainPem(certPem)), stream(pkcs8))
                    .sslProvider(SslProvider.JDK)
                    .protocols(protocols)
                    .clientAuth(auth)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn.protocol));
            if (!tls.cipherSuites().isEmpty()) {
                List<String> ciphers = new ArrayList<>(tls.cipherSuites());
                for (String s : TLS13_SUITES) if (!ciphers.contains(s)) ciphers.add(s);
                b.ciphers(ciphers);
            }
            if (auth != ClientAuth.NONE) b.trustManager(clientTrust(verify, clientCas, tls.clientAllowedSans()));
            return b.build();
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new WebConfigException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * curve_preferences, for the whole process: Java 17 takes named groups only from {@code jdk.tls.namedGroups}, read
     * when TLS is first used, so this is applied before any listener starts and a reload cannot change it.
     */
    public static void applyCurves(List<String> curves) {
        if (curves.isEmpty()) return;
        List<String> groups = new ArrayList<>();
        for (String c : curves) groups.add(JDK_CURVES.get(c));
        System.setProperty("jdk.tls.namedGroups", String.join(",", groups));
    }

    private static TrustManagerFactory clientTrust(boolean verify, List<X509Certificate> cas, List<String> allowedSans)
            throws GeneralSecurityException, IOException {
        TrustManagerFactory base;
        if (!verify) {
            base = InsecureTrustManagerFactory.INSTANCE; // Request/RequireAnyClientCert: a certificate, not a trusted one
        } else {
            base = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (cas == null) {
                base.init((KeyStore) null);
            } else {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                for (int i = 0; i < cas.size(); i++) store.setCertificateEntry("client-ca-" + i, cas.get(i));
                base.init(store);
            }
        }
        if (allowedSans == null) return base;
        X509TrustManager delegate = null;
        for (TrustManager tm : base.getTrustManagers()) if (tm instanceof X509TrustManager x) delegate = x;
        return new AllowedSansTrustManagerFactory(delegate, allowedSans);
    }

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }
}
