package tally.rules.notify;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;

/**
 * One Alertmanager to post to: its URL (also the {@code alertmanager} label of the metrics) and the settings of the
 * config entry it came from. Immutable: a config reload gives a send loop a new one.
 */
record Endpoint(URI uri, AlertmanagerConfig config) {

    /** The endpoints of a config entry, one per target, in the order given. */
    static List<Endpoint> of(AlertmanagerConfig config) {
        String path = alertsPath(config.pathPrefix());
        List<Endpoint> out = new ArrayList<>(config.targets().size());
        for (String target : config.targets()) out.add(new Endpoint(uri(config.scheme(), target, path), config));
        return out;
    }

    /** scheme://target/path, or IllegalArgumentException if Java's HTTP client could not send there. */
    static URI uri(String scheme, String target, String path) {
        URI uri;
        try {
            // The multi-argument constructor quotes what a path may not hold, as Go's URL.String does.
            uri = new URI(scheme, target, path, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("\"" + target + "\" is not a valid Alertmanager address: " + e.getMessage(), e);
        }
        // Go would take "my_am:9093"; Java's HTTP client only takes RFC 3986 host names (no '_'), so say it with the
        // config rather than fail every send.
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("\"" + target + "\" is not a host:port Java's HTTP client can reach"
                    + " (host names are letters, digits, '-' and '.', no '_')");
        }
        if (uri.getRawUserInfo() != null) { // it would end up in the metrics' labels and never be sent as credentials
            throw new IllegalArgumentException("\"" + target + "\": credentials go in basic_auth, not in the target");
        }
        return uri;
    }

    String url() {
        return uri.toString();
    }

    /**
     * The push path: Prometheus joins "/", the prefix and "/api/v2/alerts" with Go's path.Join, which also cleans
     * the result (no empty, "." or ".." segments; ".." at the root stays at the root).
     */
    static String alertsPath(String prefix) {
        Deque<String> segments = new ArrayDeque<>();
        for (String s : (prefix + "/api/v2/alerts").split("/")) {
            if (s.isEmpty() || s.equals(".")) continue;
            if (s.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(s);
            }
        }
        return "/" + String.join("/", segments);
    }

    /**
     * The Authorization header for the next request, or null for none. Files are read at every request, as
     * Prometheus does, so a rotated password or token applies without a reload; surrounding whitespace is trimmed.
     */
    String authorizationHeader() throws IOException {
        AlertmanagerConfig.BasicAuth basic = config.basicAuth();
        if (basic != null) {
            String password = basic.passwordFile() != null ? readSecret(basic.passwordFile())
                    : basic.password() == null ? "" : basic.password();
            String pair = basic.username() + ":" + password;
            return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        }
        AlertmanagerConfig.Authorization auth = config.authorization();
        if (auth != null) {
            String credentials = auth.credentialsFile() != null ? readSecret(auth.credentialsFile())
                    : auth.credentials() == null ? "" : auth.credentials();
            return auth.type() + " " + credentials;
        }
        return null;
    }

    private static String readSecret(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
    }
}
