package tally.rules.notify;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * One {@code alerting.alertmanagers[]} entry of prometheus.yml with static targets: every target gets the same
 * settings. Absent values take Prometheus's defaults (scheme {@code http}, timeout 10s, api_version {@code v2}, no
 * path prefix), and the checks Prometheus makes when it loads the file throw {@link IllegalArgumentException}.
 * Relative credential files are taken as given: the config loader resolves them against the file's directory.
 */
public record AlertmanagerConfig(String scheme, List<String> targets, String pathPrefix, Duration timeout,
                                 String apiVersion, BasicAuth basicAuth, Authorization authorization) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public AlertmanagerConfig {
        scheme = blank(scheme) ? "http" : scheme;
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("Alertmanager scheme must be http or https, got " + scheme);
        }
        targets = targets == null ? List.of() : List.copyOf(targets);
        for (String t : targets) {
            // Prometheus's CheckTargetAddress: a URL in the target list is a configuration mistake.
            if (blank(t) || t.contains("/")) throw new IllegalArgumentException("\"" + t + "\" is not a valid hostname");
            Endpoint.uri(scheme, t, "/");
        }
        pathPrefix = pathPrefix == null ? "" : pathPrefix;
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        // Prometheus would accept 0 and fail every send; a request needs some time to succeed at all.
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("Alertmanager timeout must be positive");
        apiVersion = blank(apiVersion) ? "v2" : apiVersion;
        if (!apiVersion.equals("v2")) {
            throw new IllegalArgumentException("expected Alertmanager api version to be one of [v2] but got " + apiVersion);
        }
        if (basicAuth != null && authorization != null) {
            throw new IllegalArgumentException("at most one of basic_auth & authorization must be configured");
        }
    }

    /** Static targets with the defaults for everything else. */
    public static AlertmanagerConfig of(String... targets) {
        return new AlertmanagerConfig(null, List.of(targets), null, null, null, null, null);
    }

    /** {@code basic_auth}: the password comes from {@code password} or from {@code password_file}, read at each request. */
    public record BasicAuth(String username, String password, Path passwordFile) {
        public BasicAuth {
            username = username == null ? "" : username;
            if (!blank(password) && passwordFile != null) {
                throw new IllegalArgumentException("at most one of basic_auth password & password_file must be configured");
            }
        }

        @Override
        public String toString() { // secrets stay out of logs, as Prometheus prints <secret>
            return "BasicAuth[username=" + username + ", password=" + (blank(password) ? "" : "<secret>")
                    + ", passwordFile=" + passwordFile + "]";
        }
    }

    /** {@code authorization}: header {@code <type> <credentials>}, the credentials inline or read from a file at each request. */
    public record Authorization(String type, String credentials, Path credentialsFile) {
        public Authorization {
            type = type == null ? "" : type.strip();
            if (type.isEmpty()) type = "Bearer";
            if (type.toLowerCase(Locale.ROOT).equals("basic")) {
                throw new IllegalArgumentException("authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
            }
            if (!blank(credentials) && credentialsFile != null) {
                throw new IllegalArgumentException("at most one of authorization credentials & credentials_file must be configured");
            }
        }

        @Override
        public String toString() {
            return "Authorization[type=" + type + ", credentials=" + (blank(credentials) ? "" : "<secret>")
                    + ", credentialsFile=" + credentialsFile + "]";
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isEmpty();
    }
}
