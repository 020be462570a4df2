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

    private static final int MAX_PEM_BYTES = 1 << 20;
    /** Bounded repeats: java.util.regex recurses per repeat of a group, and messages can hold long file names. */
    private static final Pattern EXCEPTION_NAME =
            Pattern.compile("\\b(?:[a-z]{1,16}\\.){1,6}[A-Z][A-Za-z]{0,48}Exception: ");

    private TlsContexts() {}

    /** Checks everything {@link #build} needs, without building. */
    static void validate(WebConfig.Tls tls) throws WebConfigException {
        build(tls, Alpn.HTTP1);
    }

    public static SslContext build(WebConfig.Tls tls, Alpn alpn) throws WebConfigException {
        String certPem = pem(tls.certFile(), tls.cert(), "cert_file", "missing one of cert or cert_file");
        String keyPem = pem(tls.keyFile(), tls.key(), "key_file", "missing one of key or key_file");
        List<X509Certificate> chain = certificates(certPem, "failed to load X509KeyPair");
        if (chain.isEmpty()) throw new WebConfigException("failed to load X509KeyPair: tls: failed to find any PEM data in certificate input");
        String pkcs8 = PemKeys.toPkcs8Pem(keyPem);
        checkKeyMatches(chain.get(0), pkcs8);

        List<X509Certificate> clientCas = tls.clientCaFile() != null || tls.clientCa() != null
                ? certificates(pem(tls.clientCaFile(), tls.clientCa(), "client_ca_file", null), "client_ca") : null;
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
            SslContextBuilder b = SslContextBuilder.forServer(stream(chainPem(certPem)), stream(pkcs8))
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

    private static String pem(Path file, String inline, String what, String missing) throws WebConfigException {
        if (file != null) {
            // bounded: a path such as /dev/zero must not fill the heap; PEM files are a few kilobytes
            try (InputStream in = Files.newInputStream(file)) {
                byte[] bytes = in.readNBytes(MAX_PEM_BYTES + 1);
                if (bytes.length > MAX_PEM_BYTES) {
                    throw new WebConfigException("failed to read " + what + " (" + file + "): larger than 1 MiB, not a PEM file");
                }
                return new String(bytes, StandardCharsets.US_ASCII);
            } catch (NoSuchFileException e) {
                throw new WebConfigException("failed to read " + what + " (" + file + "): no such file");
            } catch (AccessDeniedException e) {
                throw new WebConfigException("failed to read " + what + " (" + file + "): permission denied");
            } catch (IOException e) {
                throw new WebConfigException("failed to read " + what + " (" + file + "): " + e.getMessage());
            }
        }
        if (inline != null) return inline;
        throw new WebConfigException(missing);
    }

    private static List<X509Certificate> certificates(String pem, String what) throws WebConfigException {
        try {
            Collection<? extends java.security.cert.Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(stream(chainPem(pem)));
            List<X509Certificate> out = new ArrayList<>();
            for (var c : certs) out.add((X509Certificate) c);
            return out;
        } catch (CertificateException e) {
            throw new WebConfigException(what + ": " + withoutExceptionNames(e.getMessage()));
        }
    }

    /** The JDK's "java.io.IOException: java.lang.IllegalArgumentException: Illegal base64 ..." without the class names. */
    static String withoutExceptionNames(String message) {
        return message == null ? "invalid certificate" : EXCEPTION_NAME.matcher(message).replaceAll("");
    }

    /** Only the CERTIFICATE blocks (a combined cert+key file is common); the JDK parser stops at anything else. */
    private static String chainPem(String pem) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int begin = pem.indexOf("-----BEGIN CERTIFICATE-----", at);
            if (begin < 0) break;
            int end = pem.indexOf("-----END CERTIFICATE-----", begin);
            if (end < 0) break;
            end += "-----END CERTIFICATE-----".length();
            out.append(pem, begin, end).append('\n');
            at = end;
        }
        return out.toString();
    }

    /** Go refuses a key that does not belong to the certificate ("private key does not match public key"). */
    private static void checkKeyMatches(X509Certificate cert, String pkcs8Pem) throws WebConfigException {
        String body = pkcs8Pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(body);
        String alg = cert.getPublicKey().getAlgorithm();
        try {
            PrivateKey key = KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            String sigAlg = switch (alg) {
                case "RSA" -> "SHA256withRSA";
                case "EC" -> "SHA256withECDSA";
                case "Ed25519" -> "Ed25519";
                default -> null;
            };
            if (sigAlg == null) return;
            byte[] probe = "tally tls key check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(sigAlg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            s.initVerify(cert.getPublicKey());
            s.update(probe);
            if (!s.verify(sig)) throw new WebConfigException("failed to load X509KeyPair: tls: private key does not match public key");
        } catch (GeneralSecurityException e) {
            throw new WebConfigException("failed to load X509KeyPair: tls: private key does not match public key type " + alg
                    + " (" + e.getMessage() + ")");
        }
    }

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }
}
