package tally.server.web;

import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A client {@link SSLContext} from a Prometheus {@code tls_config} (prometheus/common's TLSConfig), with the JDK only,
 * for the JDK's {@link java.net.http.HttpClient}:
 * <ul>
 * <li>{@code ca}/{@code ca_file}: the only trusted roots (as Go's RootCAs); none given: the JVM's default trust store.
 * <li>{@code cert}+{@code key} (or their files): the client certificate, offered whatever CAs the server asks for
 * (Go's GetClientCertificate does the same); keys in PKCS#8, PKCS#1 or SEC1 PEM, checked to match the certificate.
 * <li>{@code insecure_skip_verify}: a trust manager that accepts every chain. It is an
 * {@link X509ExtendedTrustManager}, so the JDK adds no host name check of its own either (it only does that for a
 * plain X509TrustManager) and the HttpClient's endpoint identification is skipped: Go's InsecureSkipVerify.
 * <li>{@code server_name}: the engines this context makes send it as SNI (unless it is an IP address) and have the
 * JDK's endpoint identification turned off; the trust manager then checks the chain with the JDK's PKIX validator and
 * the leaf certificate against {@code server_name} as Go's {@code x509.Certificate.VerifyHostname} does (DNS SANs,
 * a {@code *} only as the whole leftmost label, case-insensitive, trailing dots ignored; IP addresses against IP SANs;
 * never the subject CN). The URL's host is then not checked, as in Go.
 * <li>{@code min_version}/{@code max_version}: the protocols the engines enable (Go's client default: TLS 1.2 to 1.3).
 * The JDK's own {@code jdk.tls.disabledAlgorithms} still applies (TLS 1.0 and 1.1 are disabled there by default).
 * </ul>
 * The restrictions ride on the {@link SSLEngine}s the context creates, which is how the HttpClient uses a context;
 * its socket factories are the plain JDK ones (the trust manager still checks {@code server_name} there).
 * Certificates and keys are read once, when the context is built (at configuration load and reload).
 */
public final class ClientTls {
    /** A tls_config: inline PEM text or a file (already resolved against the configuration's directory) for each part. */
    public record Spec(String ca, Path caFile, String cert, Path certFile, String key, Path keyFile, String serverName,
                       boolean insecureSkipVerify, String minVersion, String maxVersion) {}

    static final List<String> VERSIONS = List.of("TLS10", "TLS11", "TLS12", "TLS13");
    private static final List<String> JDK_VERSIONS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(?:\\.[0-9]{1,3}){3}");

    private ClientTls() {}

    public static SSLContext build(Spec s) throws WebConfigException {
        int min = s.minVersion() == null || s.minVersion().isEmpty() ? 2 : VERSIONS.indexOf(s.minVersion());
        int max = s.maxVersion() == null || s.maxVersion().isEmpty() ? 3 : VERSIONS.indexOf(s.maxVersion());
        if (min < 0) throw new WebConfigException("unknown TLS version: " + s.minVersion());
        if (max < 0) throw new WebConfigException("unknown TLS version: " + s.maxVersion());
        if (max < min) {
            throw new WebConfigException("tls_config.max_version must be greater than or equal to tls_config.min_version if both are specified");
        }
        List<String> protocols = new ArrayList<>();
        for (int v = max; v >= min; v--) protocols.add(JDK_VERSIONS.get(v));
        String serverName = s.serverName() == null || s.serverName().isEmpty() ? null : s.serverName();

        TrustManager trust;
        if (s.insecureSkipVerify()) {
            trust = new TrustAll();
        } else {
            List<X509Certificate> cas = null;
            if (s.caFile() != null || s.ca() != null) {
                cas = Pem.certificates(Pem.read(s.caFile(), s.ca(), "ca_file", null), "unable to use specified CA cert");
                if (cas.isEmpty()) {
                    throw new WebConfigException("unable to use specified CA cert " + (s.caFile() != null ? "file " + s.caFile() : "inline")
                            + ": no certificate in it");
                }
            }
            X509ExtendedTrustManager pkix = pkix(cas);
            trust = serverName == null ? pkix : new ServerNameTrust(pkix, serverName);
        }

        KeyManager[] keys = null;
        boolean certGiven = s.certFile() != null || s.cert() != null, keyGiven = s.keyFile() != null || s.key() != null;
        if (certGiven != keyGiven) {
            throw new WebConfigException(certGiven ? "exactly one of key or key_file must be configured when a client certificate is configured"
                    : "exactly one of cert or cert_file must be configured when a client key is configured");
        }
        if (certGiven) {
            List<X509Certificate> chain = Pem.certificates(Pem.read(s.certFile(), s.cert(), "cert_file", null), "unable to use client certificate");
            if (chain.isEmpty()) throw new WebConfigException("unable to use client certificate: tls: failed to find any PEM data in certificate input");
            PrivateKey key = Pem.privateKey(Pem.read(s.keyFile(), s.key(), "key_file", null), chain.get(0));
            keys = new KeyManager[] {new ClientCertificate(chain.toArray(new X509Certificate[0]), key)};
        }
        try {
            SSLContext jdk = SSLContext.getInstance("TLS");
            jdk.init(keys, new TrustManager[] {trust}, null);
            return new Configured(new Spi(jdk, protocols.toArray(new String[0]), serverName), jdk);
        } catch (GeneralSecurityException e) {
            throw new WebConfigException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static X509ExtendedTrustManager pkix(List<X509Certificate> cas) throws WebConfigException {
        try {
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (cas == null) {
                f.init((KeyStore) null);
            } else {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                for (int i = 0; i < cas.size(); i++) store.setCertificateEntry("ca-" + i, cas.get(i));
                f.init(store);
            }
            for (TrustManager tm : f.getTrustManagers()) if (tm instanceof X509ExtendedTrustManager x) return x;
            throw new WebConfigException("cannot set up TLS: the JDK has no X509ExtendedTrustManager");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new WebConfigException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    static boolean isIpLiteral(String host) {
        return IPV4.matcher(host).matches() || host.indexOf(':') >= 0;
    }

    /**
     * Go's {@code x509.Certificate.VerifyHostname}: an IP address (brackets allowed) against the IP SANs, a name against
     * the DNS SANs; no fallback to the subject's common name.
     */
    static void verifyHostname(X509Certificate cert, String host) throws CertificateException {
        Collection<List<?>> sans;
        try {
            sans = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new CertificateException("x509: cannot read the certificate's subject alternative names: " + e.getMessage(), e);
        }
        String candidateIp = host.length() >= 3 && host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (isIpLiteral(candidateIp)) {
            InetAddress ip = literal(candidateIp);
            if (ip != null) {
                if (sans != null) {
                    for (List<?> san : sans) {
                        if (((Integer) san.get(0)) == 7 && ip.equals(literal((String) san.get(1)))) return;
                    }
                }
                throw new CertificateException("x509: certificate is valid for " + names(sans) + ", not " + host);
            }
        }
        String candidate = host.toLowerCase(Locale.ROOT);
        if (sans != null) {
            for (List<?> san : sans) {
                if (((Integer) san.get(0)) == 2 && matchHostnames(((String) san.get(1)).toLowerCase(Locale.ROOT), candidate)) return;
            }
        }
        throw new CertificateException("x509: certificate is valid for " + names(sans) + ", not " + host);
    }

    /** A literal address without any name lookup, or null. */
    private static InetAddress literal(String s) {
        if (!isIpLiteral(s)) return null;
        try {
            return InetAddress.getByName(s); // a literal: parsed, never looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean matchHostnames(String pattern, String host) {
        pattern = trimDot(pattern);
        host = trimDot(host);
        if (pattern.isEmpty() || host.isEmpty()) return false;
        String[] p = pattern.split("\\.", -1), h = host.split("\\.", -1);
        if (p.length != h.length) return false;
        for (int i = 0; i < p.length; i++) {
            if (i == 0 && p[i].equals("*")) continue;
            if (!p[i].equals(h[i])) return false;
        }
        return true;
    }

    private static String trimDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String names(Collection<List<?>> sans) {
        List<String> out = new ArrayList<>();
        if (sans != null) for (List<?> san : sans) if (((Integer) san.get(0)) == 2 || ((Integer) san.get(0)) == 7) out.add((String) san.get(1));
        return out.isEmpty() ? "no names" : String.join(", ", out);
    }

    /** insecure_skip_verify: every chain is accepted, and no host name is checked. */
    static final class TrustAll extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }

    /** server_name: the chain as the PKIX trust manager checks it (endpoint identification off), the leaf against the name. */
    static final class ServerNameTrust extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager pkix;
        private final String serverName;

        ServerNameTrust(X509ExtendedTrustManager pkix, String serverName) {
            this.pkix = pkix;
            this.serverName = serverName;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            pkix.checkServerTrusted(chain, authType, engine);
            verifyHostname(chain[0], serverName);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            pkix.checkServerTrusted(chain, authType);
            verifyHostname(chain[0], serverName);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            pkix.checkServerTrusted(chain, authType);
            verifyHostname(chain[0], serverName);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            pkix.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            pkix.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            pkix.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return pkix.getAcceptedIssuers();
        }
    }

    /** The one client certificate, offered for any requested issuers when its key type is asked for (Go sends it regardless). */
    static final class ClientCertificate extends X509ExtendedKeyManager {
        private static final String ALIAS = "client";
        private final X509Certificate[] chain;
        private final PrivateKey key;

        ClientCertificate(X509Certificate[] chain, PrivateKey key) {
            this.chain = chain;
            this.key = key;
        }

        private String alias(String[] keyTypes) {
            if (keyTypes == null) return ALIAS;
            String alg = key.getAlgorithm();
            for (String t : keyTypes) {
                if (t.equalsIgnoreCase(alg) || (alg.equals("RSA") && t.equalsIgnoreCase("RSASSA-PSS"))) return ALIAS;
            }
            return null;
        }

        @Override public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) { return alias(keyType); }
        @Override public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) { return alias(keyType); }
        @Override public String[] getClientAliases(String keyType, Principal[] issuers) { return alias(new String[] {keyType}) == null ? null : new String[] {ALIAS}; }
        @Override public String[] getServerAliases(String keyType, Principal[] issuers) { return null; }
        @Override public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) { return null; }
        @Override public X509Certificate[] getCertificateChain(String alias) { return ALIAS.equals(alias) ? chain.clone() : null; }
        @Override public PrivateKey getPrivateKey(String alias) { return ALIAS.equals(alias) ? key : null; }
    }

    /** The context handed out: the JDK's, with its engines configured (protocols, server_name). */
    private static final class Configured extends SSLContext {
        Configured(Spi spi, SSLContext jdk) {
            super(spi, jdk.getProvider(), jdk.getProtocol());
        }
    }

    private static final class Spi extends SSLContextSpi {
        private final SSLContext jdk;
        private final String[] protocols;
        private final String serverName;
        /** server_name as SNI, as Go's hostnameInSNI makes it: no IP address, no trailing dot; null when none. */
        private final SNIHostName sni;

        Spi(SSLContext jdk, String[] protocols, String serverName) {
            this.jdk = jdk;
            this.protocols = protocols;
            this.serverName = serverName;
            SNIHostName name = null;
            if (serverName != null && !isIpLiteral(serverName)) {
                try {
                    name = new SNIHostName(trimDot(serverName));
                } catch (IllegalArgumentException notAHostName) {
                    name = null; // sent without SNI; the name is still what the certificate is checked against
                }
            }
            sni = name;
        }

        /** Parameters as this target wants them, whatever the caller set: protocols in range, SNI and identity for server_name. */
        SSLParameters adjust(SSLParameters p) {
            List<String> wanted = new ArrayList<>();
            String[] asked = p.getProtocols();
            for (String v : protocols) if (asked == null || Arrays.asList(asked).contains(v)) wanted.add(v);
            p.setProtocols(wanted.isEmpty() ? protocols : wanted.toArray(new String[0]));
            if (serverName != null) {
                List<SNIServerName> names = new ArrayList<>();
                if (sni != null) names.add(sni);
                p.setServerNames(names);
                p.setEndpointIdentificationAlgorithm(null); // ServerNameTrust checks the name instead
            }
            return p;
        }

        private SSLEngine wrap(SSLEngine e) {
            e.setSSLParameters(adjust(e.getSSLParameters()));
            return new Engine(e, this);
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            throw new KeyManagementException("this context is already initialized from its tls_config");
        }

        @Override protected SSLSocketFactory engineGetSocketFactory() { return jdk.getSocketFactory(); }
        @Override protected SSLServerSocketFactory engineGetServerSocketFactory() { return jdk.getServerSocketFactory(); }
        @Override protected SSLEngine engineCreateSSLEngine() { return wrap(jdk.createSSLEngine()); }
        @Override protected SSLEngine engineCreateSSLEngine(String host, int port) { return wrap(jdk.createSSLEngine(host, port)); }
        @Override protected SSLSessionContext engineGetServerSessionContext() { return jdk.getServerSessionContext(); }
        @Override protected SSLSessionContext engineGetClientSessionContext() { return jdk.getClientSessionContext(); }
        @Override protected SSLParameters engineGetDefaultSSLParameters() { return adjust(jdk.getDefaultSSLParameters()); }
        @Override protected SSLParameters engineGetSupportedSSLParameters() { return jdk.getSupportedSSLParameters(); }
    }

    /** An engine that keeps the target's parameters whatever its user sets; everything else is the JDK's engine. */
    private static final class Engine extends SSLEngine {
        private final SSLEngine e;
        private final Spi spi;

        Engine(SSLEngine e, Spi spi) {
            super(e.getPeerHost(), e.getPeerPort());
            this.e = e;
            this.spi = spi;
        }

        @Override public SSLParameters getSSLParameters() { return e.getSSLParameters(); }
        @Override public void setSSLParameters(SSLParameters p) { e.setSSLParameters(spi.adjust(p)); }
        @Override public void setEnabledProtocols(String[] protocols) {
            SSLParameters p = e.getSSLParameters();
            p.setProtocols(protocols);
            e.setSSLParameters(spi.adjust(p));
        }
        @Override public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
            return e.wrap(srcs, offset, length, dst);
        }
        @Override public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
            return e.unwrap(src, dsts, offset, length);
        }
        @Override public Runnable getDelegatedTask() { return e.getDelegatedTask(); }
        @Override public void closeInbound() throws SSLException { e.closeInbound(); }
        @Override public boolean isInboundDone() { return e.isInboundDone(); }
        @Override public void closeOutbound() { e.closeOutbound(); }
        @Override public boolean isOutboundDone() { return e.isOutboundDone(); }
        @Override public String[] getSupportedCipherSuites() { return e.getSupportedCipherSuites(); }
        @Override public String[] getEnabledCipherSuites() { return e.getEnabledCipherSuites(); }
        @Override public void setEnabledCipherSuites(String[] suites) { e.setEnabledCipherSuites(suites); }
        @Override public String[] getSupportedProtocols() { return e.getSupportedProtocols(); }
        @Override public String[] getEnabledProtocols() { return e.getEnabledProtocols(); }
        @Override public SSLSession getSession() { return e.getSession(); }
        @Override public SSLSession getHandshakeSession() { return e.getHandshakeSession(); }
        @Override public void beginHandshake() throws SSLException { e.beginHandshake(); }
        @Override public SSLEngineResult.HandshakeStatus getHandshakeStatus() { return e.getHandshakeStatus(); }
        @Override public void setUseClientMode(boolean mode) { e.setUseClientMode(mode); }
        @Override public boolean getUseClientMode() { return e.getUseClientMode(); }
        @Override public void setNeedClientAuth(boolean need) { e.setNeedClientAuth(need); }
        @Override public boolean getNeedClientAuth() { return e.getNeedClientAuth(); }
        @Override public void setWantClientAuth(boolean want) { e.setWantClientAuth(want); }
        @Override public boolean getWantClientAuth() { return e.getWantClientAuth(); }
        @Override public void setEnableSessionCreation(boolean flag) { e.setEnableSessionCreation(flag); }
        @Override public boolean getEnableSessionCreation() { return e.getEnableSessionCreation(); }
        @Override public String getApplicationProtocol() { return e.getApplicationProtocol(); }
        @Override public String getHandshakeApplicationProtocol() { return e.getHandshakeApplicationProtocol(); }
        @Override public void setHandshakeApplicationProtocolSelector(BiFunction<SSLEngine, List<String>, String> selector) {
            e.setHandshakeApplicationProtocolSelector(selector);
        }
        @Override public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
            return e.getHandshakeApplicationProtocolSelector();
        }
    }
}
