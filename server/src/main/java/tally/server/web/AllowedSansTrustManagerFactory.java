package tally.server.web;

import io.netty.handler.ssl.util.SimpleTrustManagerFactory;

import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * client_allowed_sans: after the usual client certificate check, the certificate the client sent must carry one of
 * the allowed Subject Alternative Names (DNS, e-mail, IP or URI, compared as text, as exporter-toolkit does).
 */
final class AllowedSansTrustManagerFactory extends SimpleTrustManagerFactory {
    private final X509TrustManager manager;

    AllowedSansTrustManagerFactory(X509TrustManager delegate, List<String> allowed) {
        this.manager = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                delegate.checkClientTrusted(chain, authType);
                if (!hasAllowedSan(chain[0], allowed)) {
                    throw new CertificateException("could not find allowed SANs in client cert, found: " + allowed);
                }
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                delegate.checkServerTrusted(chain, authType);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return delegate.getAcceptedIssuers();
            }
        };
    }

    static boolean hasAllowedSan(X509Certificate cert, List<String> allowed) throws CertificateParsingException {
        var sans = cert.getSubjectAlternativeNames();
        if (sans == null) return false;
        for (List<?> san : sans) {
            // types 1 rfc822Name, 2 dNSName, 6 URI, 7 iPAddress: all given as strings by the JDK
            if (san.size() > 1 && san.get(1) instanceof String value && allowed.contains(value)) return true;
        }
        return false;
    }

    @Override
    protected void engineInit(KeyStore keyStore) {}

    @Override
    protected void engineInit(ManagerFactoryParameters params) {}

    @Override
    protected TrustManager[] engineGetTrustManagers() {
        return new TrustManager[] {manager};
    }
}
