package tally.server.web;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import tally.rules.file.YamlNodes;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a web configuration file as Prometheus's exporter-toolkit does: strict YAML (an unknown or repeated key is an
 * error), header names and values from its short list, every password hash a bcrypt hash, relative paths against the
 * file's directory. The TLS part is checked further (files, keys, client CAs) when a context is built from it
 * ({@link TlsContexts}); {@link #check} does both, as {@code promtool check web-config} does.
 */
public final class WebConfigParser {
    static final String TOKENS_KEY = "tally_ingest_tokens";
    private static final Set<String> TOP = Set.of("tls_server_config", "http_server_config", "basic_auth_users", "rate_limit", TOKENS_KEY);
    private static final Set<String> TLS = Set.of("cert", "key", "client_ca", "cert_file", "key_file", "client_auth_type",
            "client_ca_file", "cipher_suites", "curve_preferences", "min_version", "max_version", "prefer_server_cipher_suites",
            "client_allowed_sans");
    private static final Set<String> HTTP = Set.of("http2", "headers");
    private static final Set<String> RATE = Set.of("burst", "interval");
    /** The headers exporter-toolkit lets a user set, with the values allowed where it restricts them. */
    private static final Map<String, List<String>> HEADERS = Map.of(
            "Strict-Transport-Security", List.of(),
            "X-Content-Type-Options", List.of("nosniff"),
            "X-Frame-Options", List.of("deny", "sameorigin"),
            "X-XSS-Protection", List.of(),
            "Content-Security-Policy", List.of());
    static final Set<String> TLS_VERSIONS = Set.of("TLS10", "TLS11", "TLS12", "TLS13");
    static final Set<String> CURVES = Set.of("CurveP256", "CurveP384", "CurveP521", "X25519");

    private WebConfigParser() {}

    /** Parses and fully validates the file, TLS material included; the exception's message says what is wrong. */
    public static WebConfig check(Path file) throws WebConfigException {
        WebConfig c = read(file);
        if (c.tls() != null) {
            try {
                TlsContexts.validate(c.tls());
            } catch (WebConfigException e) {
                throw new WebConfigException("web config file " + file + ": tls_server_config: "
                        + Pem.withoutExceptionNames(e.getMessage()), e);
            }
        }
        return c;
    }

    /** Parses the file; TLS files are not opened here. */
    public static WebConfig read(Path file) throws WebConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new WebConfigException("cannot read web config file " + file + ": " + e.getMessage());
        }
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (YAMLException e) {
            String where = e instanceof MarkedYAMLException m && m.getProblemMark() != null
                    ? "line " + (m.getProblemMark().getLine() + 1) + ": " + m.getProblem() : e.getMessage();
            throw new WebConfigException("web config file " + file + ": yaml: " + where);
        }
        List<String> errors = new ArrayList<>();
        WebConfig c = parse(file, root, errors);
        if (!errors.isEmpty()) throw new WebConfigException("web config file " + file + ": " + String.join("; ", errors));
        return c;
    }

    private static WebConfig parse(Path file, Node root, List<String> errors) {
        Path dir = file.toAbsolutePath().getParent();
        if (root != null && !YamlNodes.isNull(root) && !(root instanceof org.yaml.snakeyaml.nodes.MappingNode)) {
            errors.add(YamlNodes.pos(root) + ": the file must be a mapping of tls_server_config, http_server_config, basic_auth_users");
            return null;
        }
        Map<String, Node> top = YamlNodes.fields(root, "the web config", TOP, errors);
        WebConfig.Tls tls = tls(dir, YamlNodes.fields(top.get("tls_server_config"), "tls_server_config", TLS, errors), errors);
        Map<String, Node> http = YamlNodes.fields(top.get("http_server_config"), "http_server_config", HTTP, errors);
        boolean http2 = bool(http.get("http2"), "http2", true, errors);
        Map<String, String> headers = headers(http.get("headers"), errors);
        Map<String, String> users = hashes(top.get("basic_auth_users"), "basic_auth_users", errors);
        Map<String, String> tokens = hashes(top.get(TOKENS_KEY), TOKENS_KEY, errors);
        WebConfig.RateLimit rate = rateLimit(top.get("rate_limit"), errors);
        return new WebConfig(file, tls, http2, headers, users, tokens, rate);
    }

    /** Null when no TLS key is set (exporter-toolkit's "TLS config is not present": plain HTTP). */
    private static WebConfig.Tls tls(Path dir, Map<String, Node> f, List<String> errors) {
        String certFile = str(f.get("cert_file"), "cert_file", errors), keyFile = str(f.get("key_file"), "key_file", errors);
        String caFile = str(f.get("client_ca_file"), "client_ca_file", errors);
        String cert = str(f.get("cert"), "cert", errors), key = str(f.get("key"), "key", errors), ca = str(f.get("client_ca"), "client_ca", errors);
        String clientAuth = str(f.get("client_auth_type"), "client_auth_type", errors);
        List<String> ciphers = strings(f.get("cipher_suites"), "cipher_suites", errors);
        for (String s : ciphers) {
            if (!TlsContexts.GO_CIPHER_SUITES.contains(s)) errors.add("unknown cipher: " + s);
        }
        List<String> curves = strings(f.get("curve_preferences"), "curve_preferences", errors);
        for (String s : curves) {
            if (!CURVES.contains(s)) errors.add("unknown curve: " + s);
        }
        String min = version(f.get("min_version"), "min_version", "TLS12", errors);
        String max = version(f.get("max_version"), "max_version", "TLS13", errors);
        boolean prefer = bool(f.get("prefer_server_cipher_suites"), "prefer_server_cipher_suites", true, errors);
        List<String> sans = f.containsKey("client_allowed_sans") && !YamlNodes.isNull(f.get("client_allowed_sans"))
                ? strings(f.get("client_allowed_sans"), "client_allowed_sans", errors) : null;
        boolean enabled = notEmpty(certFile) || notEmpty(keyFile) || notEmpty(caFile) || notEmpty(cert) || notEmpty(key) || notEmpty(ca)
                || notEmpty(clientAuth);
        if (!enabled) return null;
        return new WebConfig.Tls(path(dir, certFile), emptyToNull(cert), path(dir, keyFile), emptyToNull(key), path(dir, caFile),
                emptyToNull(ca), clientAuth == null ? "" : clientAuth, ciphers, curves, min, max, prefer, sans);
    }

    private static Map<String, String> headers(Node n, List<String> errors) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : YamlNodes.fields(n, "headers", null, errors).entrySet()) {
            String given = str(e.getValue(), "header " + e.getKey(), errors);
            String value = given == null ? "" : given; // an empty YAML value is "", as Go reads it
            List<String> allowed = HEADERS.get(e.getKey());
            if (allowed == null) {
                errors.add("HTTP header \"" + e.getKey() + "\" can not be configured");
            } else if (!allowed.isEmpty() && !allowed.contains(value)) {
                errors.add("invalid value for " + e.getKey() + ". Expected one of: " + allowed + ", but got: \"" + value + "\"");
            } else {
                out.put(e.getKey(), value);
            }
        }
        return out;
    }

    /** A mapping of names to bcrypt hashes; a value that is not one stops the start, as in Prometheus. */
    private static Map<String, String> hashes(Node n, String what, List<String> errors) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : YamlNodes.fields(n, what, null, errors).entrySet()) {
            String hash = str(e.getValue(), what + " value of " + e.getKey(), errors);
            String problem = Bcrypt.problem(hash == null ? "" : hash);
            if (problem != null) errors.add(what + " " + e.getKey() + ": " + problem);
            else out.put(e.getKey(), hash);
        }
        return out;
    }

    private static WebConfig.RateLimit rateLimit(Node n, List<String> errors) {
        Map<String, Node> f = YamlNodes.fields(n, "rate_limit", RATE, errors);
        String burst = str(f.get("burst"), "burst", errors), interval = str(f.get("interval"), "interval", errors);
        int b = 0;
        long ms = 0;
        try {
            if (burst != null) b = Integer.parseInt(burst);
        } catch (NumberFormatException e) {
            errors.add("rate_limit burst must be an integer: " + burst);
        }
        try {
            if (interval != null) ms = GoDuration.parseMillis(interval);
        } catch (IllegalArgumentException e) {
            errors.add("rate_limit interval: " + e.getMessage());
        }
        // exporter-toolkit turns the limiter on only for a non-zero interval
        return ms == 0 ? null : new WebConfig.RateLimit(b, ms);
    }

    private static String version(Node n, String what, String def, List<String> errors) {
        String v = str(n, what, errors);
        if (v == null) return def;
        if (!TLS_VERSIONS.contains(v)) {
            errors.add("unknown TLS version: " + v);
            return def;
        }
        return v;
    }

    private static boolean bool(Node n, String what, boolean def, List<String> errors) {
        if (YamlNodes.isNull(n)) return def;
        if (n instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) return Boolean.parseBoolean(s.getValue().toLowerCase(java.util.Locale.ROOT));
        errors.add(YamlNodes.pos(n) + ": " + what + " must be true or false");
        return def;
    }

    private static String str(Node n, String what, List<String> errors) {
        return YamlNodes.scalar(n, what, errors);
    }

    private static List<String> strings(Node n, String what, List<String> errors) {
        List<String> out = new ArrayList<>();
        for (Node item : YamlNodes.items(n, what, errors)) {
            String s = YamlNodes.scalar(item, what + " item", errors);
            if (s != null) out.add(s);
        }
        return out;
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }

    private static String emptyToNull(String s) {
        return notEmpty(s) ? s : null;
    }

    private static Path path(Path dir, String p) {
        if (!notEmpty(p)) return null;
        Path path = Path.of(p);
        return path.isAbsolute() ? path : dir.resolve(path);
    }
}
