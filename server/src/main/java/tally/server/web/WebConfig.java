package tally.server.web;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The contents of {@code --web.config.file}: Prometheus's web configuration (exporter-toolkit's format, keys and
 * meaning unchanged) plus Tally's one extension, {@code tally_ingest_tokens}. Paths are already resolved against the
 * file's directory. An empty file is valid and means: no TLS, no authentication.
 *
 * @param users        basic_auth_users: user name to bcrypt hash; empty means no authentication
 * @param ingestTokens tally_ingest_tokens: token name to the bcrypt hash of a write-only bearer token
 * @param headers      http_server_config.headers, added to every HTTP response
 * @param rateLimit    rate_limit, or null when off
 */
public record WebConfig(Path file, Tls tls, boolean http2, Map<String, String> headers, Map<String, String> users,
                        Map<String, String> ingestTokens, RateLimit rateLimit) {

    /** No file: everything open, plain HTTP. */
    public static final WebConfig NONE = new WebConfig(null, null, true, Map.of(), Map.of(), Map.of(), null);

    /** True when anything must authenticate: some request needs credentials. */
    public boolean authenticates() {
        return !users.isEmpty() || !ingestTokens.isEmpty();
    }

    /**
     * tls_server_config. Either a file or inline PEM for the certificate, the key and the client CAs.
     *
     * @param clientAuth       Go's names: NoClientCert, RequestClientCert, RequireAnyClientCert (or RequireClientCert),
     *                         VerifyClientCertIfGiven, RequireAndVerifyClientCert
     * @param cipherSuites     IANA names (Go's and the JDK's agree); empty means the defaults
     * @param curves           Go's names: CurveP256, CurveP384, CurveP521, X25519; empty means the defaults
     * @param minVersion       "TLS10".."TLS13"
     * @param clientAllowedSans when non-null, a client certificate must carry one of these SANs
     */
    public record Tls(Path certFile, String cert, Path keyFile, String key, Path clientCaFile, String clientCa, String clientAuth,
                      List<String> cipherSuites, List<String> curves, String minVersion, String maxVersion,
                      boolean preferServerCipherSuites, List<String> clientAllowedSans) {}

    /** rate_limit: a token bucket of {@code burst} requests refilled once per {@code intervalMillis}. */
    public record RateLimit(int burst, long intervalMillis) {}
}
