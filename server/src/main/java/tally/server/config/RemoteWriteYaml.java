package tally.server.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import tally.forward.RemoteWriteConfig;
import tally.forward.relabel.RelabelConfig;
import tally.forward.wire.ProtobufMessage;
import tally.promql.ast.Durations;
import tally.rules.file.YamlNodes;
import tally.server.web.ClientTls;
import tally.server.web.WebConfigException;

/**
 * prometheus.yml's {@code remote_write} list, read as Prometheus 3 reads it ({@code config/config.go} RemoteWriteConfig,
 * prometheus/common's HTTPClientConfig and TLSConfig): the same keys (strict: any other is an error), defaults, checks
 * and, where practical, messages. Tally refuses what it cannot honour rather than ignoring it: the oauth2, sigv4,
 * azuread and google_iam authentications, proxies, http_headers and secret-manager references ({@code *_ref}); a URL
 * that is not http or https; durations of zero where Tally's sender needs a positive one. Keys about data Tally does
 * not store (exemplars, native histograms) or about Go's HTTP client (follow_redirects, enable_http2, round_robin_dns)
 * are accepted and listed as ignored.
 */
final class RemoteWriteYaml {
    private static final Set<String> KEYS = Set.of("url", "name", "remote_timeout", "headers", "write_relabel_configs", "send_exemplars",
            "send_native_histograms", "round_robin_dns", "protobuf_message", "failed_request_logging", "queue_config", "metadata_config",
            "sigv4", "azuread", "google_iam",
            // prometheus/common's HTTPClientConfig, inlined
            "basic_auth", "authorization", "oauth2", "bearer_token", "bearer_token_file", "tls_config", "follow_redirects", "enable_http2",
            "proxy_url", "no_proxy", "proxy_from_environment", "proxy_connect_header", "http_headers");
    private static final Set<String> RELABEL = Set.of("source_labels", "separator", "regex", "modulus", "target_label", "replacement", "action");
    private static final Set<String> BASIC_AUTH = Set.of("username", "username_file", "username_ref", "password", "password_file", "password_ref");
    private static final Set<String> AUTHORIZATION = Set.of("type", "credentials", "credentials_file", "credentials_ref");
    private static final Set<String> TLS = Set.of("ca", "ca_file", "ca_ref", "cert", "cert_file", "cert_ref", "key", "key_file", "key_ref",
            "server_name", "insecure_skip_verify", "min_version", "max_version");
    private static final Set<String> QUEUE = Set.of("capacity", "max_shards", "min_shards", "max_samples_per_send", "batch_send_deadline",
            "min_backoff", "max_backoff", "retry_on_http_429", "sample_age_limit");
    private static final Set<String> METADATA = Set.of("send", "send_interval", "max_samples_per_send");
    /** config.go's reservedHeaders (Authorization is refused on its own, with its own message). */
    static final Set<String> RESERVED_HEADERS = Set.of("host", "content-encoding", "content-length", "content-type", "user-agent",
            "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "www-authenticate", "accept-encoding",
            "x-prometheus-remote-write-version", "x-prometheus-remote-read-version", "x-amz-date", "x-amz-security-token",
            "x-amz-content-sha256");

    private final Path dir;
    private final List<String> errors;
    private final Set<String> ignored;

    /** A problem with one entry; the message is Prometheus's where it has one. */
    private static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    RemoteWriteYaml(Path configFile, List<String> errors, Set<String> ignored) {
        this.dir = configFile.toAbsolutePath().getParent();
        this.errors = errors;
        this.ignored = ignored;
    }

    /** The entries, each resolved; errors go to the shared list with their line and column. */
    List<RemoteWriteConfig> read(Node list) {
        List<RemoteWriteConfig> out = new ArrayList<>();
        Map<String, Node> names = new LinkedHashMap<>();
        for (Node item : YamlNodes.items(list, "remote_write", errors)) {
            if (YamlNodes.isNull(item)) {
                errors.add(YamlNodes.pos(item) + ": empty or null remote write config section");
                continue;
            }
            int before = errors.size();
            RemoteWriteConfig c;
            try {
                c = entry(item);
            } catch (Invalid e) {
                errors.add(YamlNodes.pos(item) + ": " + e.getMessage());
                continue;
            }
            if (c == null || errors.size() > before) continue;
            if (names.containsKey(c.name())) {
                errors.add(YamlNodes.pos(item) + ": " + (c.name().equals(defaultName(c))
                        ? "duplicate remote write configs are not allowed, found duplicate for URL: " + c.url()
                        : "found multiple remote write configs with job name " + quote(c.name())));
                continue;
            }
            names.put(c.name(), item);
            out.add(c);
        }
        return List.copyOf(out);
    }

    private RemoteWriteConfig entry(Node node) {
        Map<String, Node> f = YamlNodes.fields(node, "remote_write config", KEYS, errors);
        if (!(node instanceof org.yaml.snakeyaml.nodes.MappingNode)) return null; // reported by fields

        // url: required, http or https (Prometheus takes any URL and fails when sending)
        String rawUrl = text(f.get("url"));
        if (rawUrl == null) throw new Invalid("url for remote_write is empty");
        URI url;
        try {
            url = new URI(rawUrl);
        } catch (URISyntaxException e) {
            throw new Invalid("parse " + quote(rawUrl) + ": " + e.getReason());
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Invalid("remote_write url " + quote(redacted(url)) + ": Tally sends to http:// and https:// URLs only");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) throw new Invalid("remote_write url " + quote(redacted(url)) + " has no host");
        String userInfo = url.getRawUserInfo();
        if (userInfo != null) {
            try {
                url = new URI(url.getScheme(), null, url.getHost(), url.getPort(), url.getRawPath() == null ? null : url.getPath(),
                        url.getQuery(), url.getFragment());
                url = URI.create(url.toASCIIString());
            } catch (URISyntaxException e) {
                throw new Invalid("parse " + quote(redacted(url)) + ": " + e.getReason());
            }
        }

        Duration timeout = f.containsKey("remote_timeout") ? duration(f.get("remote_timeout"), "remote_timeout") : Duration.ofSeconds(30);
        if (timeout.isZero()) throw new Invalid("remote_timeout must be positive in Tally (Prometheus reads 0 as no timeout)");

        // headers
        Map<String, String> headers = new LinkedHashMap<>();
        if (f.containsKey("headers")) {
            for (Map.Entry<String, Node> h : YamlNodes.fields(f.get("headers"), "headers", null, errors).entrySet()) {
                String v = YamlNodes.scalar(h.getValue(), "header value of " + h.getKey(), errors);
                headers.put(h.getKey(), v == null ? "" : v);
            }
            for (String h : headers.keySet()) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.equals("authorization")) {
                    throw new Invalid("authorization header must be changed via the basic_auth, authorization, oauth2, sigv4, azuread or google_iam parameter");
                }
                if (RESERVED_HEADERS.contains(lower)) throw new Invalid(h + " is a reserved header. It must not be changed");
            }
        }

        // write_relabel_configs (checked in full here; Prometheus checks them after the rest of the entry)
        List<RelabelConfig> relabel = new ArrayList<>();
        for (Node r : YamlNodes.items(f.get("write_relabel_configs"), "write_relabel_configs", errors)) {
            if (YamlNodes.isNull(r)) throw new Invalid("empty or null relabeling rule in remote write config");
            relabel.add(relabelConfig(r));
        }

        String name = text(f.get("name"));
        // accepted, not acted on: data Tally does not store, and settings of Go's HTTP client
        for (String k : List.of("send_exemplars", "send_native_histograms", "round_robin_dns", "failed_request_logging")) {
            if (f.containsKey(k) && bool(f.get(k), k)) ignored.add("remote_write[]." + k);
        }
        for (String k : List.of("follow_redirects", "enable_http2")) {
            if (!f.containsKey(k)) continue;
            bool(f.get(k), k);
            ignored.add("remote_write[]." + k);
        }

        ProtobufMessage message = ProtobufMessage.V1;
        if (f.containsKey("protobuf_message")) {
            String m = text(f.get("protobuf_message"));
            if (m != null && !m.isEmpty()) {
                try {
                    message = ProtobufMessage.fromConfig(m);
                } catch (IllegalArgumentException e) {
                    throw new Invalid("invalid protobuf_message value: unknown remote write protobuf message " + m
                            + ", supported: prometheus.WriteRequest, io.prometheus.write.v2.Request");
                }
            }
        }

        Supplier<String> authorization = httpClient(f);
        if (userInfo != null) authorization = urlUserInfo(userInfo); // Go's http.Client sets it first; the others then skip
        SSLContext ssl = null;
        String serverName = null;
        if (given(f.get("tls_config"))) {
            Map<String, Node> t = YamlNodes.fields(f.get("tls_config"), "tls_config", TLS, errors);
            ClientTls.Spec spec = tlsSpec(t);
            serverName = spec.serverName() == null || spec.serverName().isEmpty() ? null : spec.serverName();
            try {
                ssl = ClientTls.build(spec);
            } catch (WebConfigException e) {
                throw new Invalid(e.getMessage());
            }
        }

        RemoteWriteConfig.QueueConfig queue = queue(f.get("queue_config"));
        RemoteWriteConfig.MetadataConfig metadata = metadata(f.get("metadata_config"));
        authConfigs(f);
        for (String k : List.of("oauth2", "sigv4", "azuread", "google_iam")) {
            if (given(f.get(k))) throw new Invalid(k + " is not supported by Tally (basic_auth, authorization and bearer_token are)");
        }

        String hashName = defaultName(url, headers, relabel);
        try {
            return new RemoteWriteConfig(url, name == null || name.isEmpty() ? hashName : name, timeout, headers, authorization, ssl,
                    serverName, relabel, queue, metadata, message);
        } catch (IllegalArgumentException e) {
            throw new Invalid(e.getMessage());
        }
    }

    private RelabelConfig relabelConfig(Node node) {
        Map<String, Node> r = YamlNodes.fields(node, "relabel config", RELABEL, errors);
        List<String> sources = null;
        if (r.containsKey("source_labels") && !YamlNodes.isNull(r.get("source_labels"))) {
            sources = new ArrayList<>();
            for (Node s : YamlNodes.items(r.get("source_labels"), "source_labels", errors)) {
                String v = YamlNodes.scalar(s, "source label", errors);
                sources.add(v == null ? "" : v);
            }
        }
        long modulus = 0;
        if (r.containsKey("modulus") && !YamlNodes.isNull(r.get("modulus"))) {
            String m = text(r.get("modulus"));
            try {
                modulus = Long.parseUnsignedLong(m.startsWith("+") ? m.substring(1) : m);
            } catch (NumberFormatException e) {
                throw new Invalid("cannot unmarshal !!" + tag(r.get("modulus")) + " `" + m + "` into uint64");
            }
        }
        String action = given(r, "action");
        if (sources != null && sources.isEmpty() && action != null
                && (action.equalsIgnoreCase("labeldrop") || action.equalsIgnoreCase("labelkeep"))) {
            // source_labels: [] is given (Go's non-nil empty list), which these actions refuse
            throw new Invalid(action.toLowerCase(Locale.ROOT) + " action requires only 'regex', and no other fields");
        }
        try {
            return new RelabelConfig(sources, given(r, "separator"), given(r, "regex"), modulus, given(r, "target_label"),
                    given(r, "replacement"), action);
        } catch (IllegalArgumentException e) {
            throw new Invalid(e.getMessage());
        }
    }

    /** A relabel key's value: null when the key is absent (the default applies), "" for a YAML null, as Go reads it. */
    private String given(Map<String, Node> r, String key) {
        if (!r.containsKey(key)) return null;
        String v = text(r.get(key));
        return v == null ? "" : v;
    }

    /**
     * prometheus/common's HTTPClientConfig.Validate, in its order and with its messages, then the header value to send
     * (built per request, files read each time as Prometheus does), or null.
     */
    private Supplier<String> httpClient(Map<String, Node> f) {
        String bearer = nonEmpty(text(f.get("bearer_token")));
        Path bearerFile = path(f.get("bearer_token_file"));
        boolean basicGiven = given(f.get("basic_auth")), authGiven = given(f.get("authorization")), oauthGiven = given(f.get("oauth2"));
        Map<String, Node> b = basicGiven ? YamlNodes.fields(f.get("basic_auth"), "basic_auth", BASIC_AUTH, errors) : Map.of();
        Map<String, Node> a = authGiven ? YamlNodes.fields(f.get("authorization"), "authorization", AUTHORIZATION, errors) : Map.of();
        if (bearer != null && bearerFile != null) throw new Invalid("at most one of bearer_token & bearer_token_file must be configured");
        if ((basicGiven || oauthGiven) && (bearer != null || bearerFile != null)) {
            throw new Invalid("at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured");
        }
        String username = nonEmpty(text(b.get("username"))), password = nonEmpty(text(b.get("password")));
        Path usernameFile = path(b.get("username_file")), passwordFile = path(b.get("password_file"));
        if (count(username != null, usernameFile != null, nonEmpty(text(b.get("username_ref"))) != null) > 1) {
            throw new Invalid("at most one of basic_auth username, username_file & username_ref must be configured");
        }
        if (count(password != null, passwordFile != null, nonEmpty(text(b.get("password_ref"))) != null) > 1) {
            throw new Invalid("at most one of basic_auth password, password_file & password_ref must be configured");
        }
        String type = null, credentials = null;
        Path credentialsFile = null;
        if (authGiven) {
            if (bearer != null || bearerFile != null) throw new Invalid("authorization is not compatible with bearer_token & bearer_token_file");
            credentials = nonEmpty(text(a.get("credentials")));
            credentialsFile = path(a.get("credentials_file"));
            if (count(credentials != null, credentialsFile != null, nonEmpty(text(a.get("credentials_ref"))) != null) > 1) {
                throw new Invalid("at most one of authorization credentials & credentials_file must be configured");
            }
            type = text(a.get("type"));
            type = type == null ? "" : type.strip();
            if (type.isEmpty()) type = "Bearer";
            if (type.equalsIgnoreCase("basic")) throw new Invalid("authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
            if (basicGiven || oauthGiven) throw new Invalid("at most one of basic_auth, oauth2 & authorization must be configured");
        } else if (bearer != null || bearerFile != null) {
            type = "Bearer";
            credentials = bearer;
            credentialsFile = bearerFile;
        }
        if (oauthGiven && basicGiven) throw new Invalid("at most one of basic_auth, oauth2 & authorization must be configured");
        proxy(f);
        if (given(f.get("http_headers"))) throw new Invalid("http_headers is not supported by Tally; use headers");
        for (Map.Entry<String, Node> e : b.entrySet()) refuseRef(e, "basic_auth");
        for (Map.Entry<String, Node> e : a.entrySet()) refuseRef(e, "authorization");

        if (basicGiven) {
            String u = username, p = password;
            Path uf = usernameFile, pf = passwordFile;
            return () -> "Basic " + Base64.getEncoder().encodeToString(
                    ((uf != null ? secret(uf, "basic auth username") : u == null ? "" : u) + ":"
                            + (pf != null ? secret(pf, "basic auth password") : p == null ? "" : p)).getBytes(StandardCharsets.UTF_8));
        }
        if (type != null) {
            String t = type, c = credentials;
            Path cf = credentialsFile;
            return () -> t + " " + (cf != null ? secret(cf, "authorization credentials") : c == null ? "" : c);
        }
        return null;
    }

    private void refuseRef(Map.Entry<String, Node> e, String where) {
        if (e.getKey().endsWith("_ref") && nonEmpty(text(e.getValue())) != null) {
            throw new Invalid(where + "." + e.getKey() + " is not supported by Tally: it has no secret manager (use the inline value or the _file key)");
        }
    }

    /** A credentials file as prometheus/common's FileSecret reads it: whole, spaces trimmed, at every request. */
    static String secret(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("unable to read " + what + ": unable to read file " + file + ": " + e.getMessage(), e);
        }
    }

    /** user:password in the URL: Go's http.Client sends it as basic auth (before any other authorization). */
    private static Supplier<String> urlUserInfo(String rawUserInfo) {
        int colon = rawUserInfo.indexOf(':');
        String user = decode(colon < 0 ? rawUserInfo : rawUserInfo.substring(0, colon));
        String pass = colon < 0 ? "" : decode(rawUserInfo.substring(colon + 1));
        String value = "Basic " + Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
        return () -> value;
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Proxies are refused (a sender that ignored one would go around it); empty values are accepted. */
    private void proxy(Map<String, Node> f) {
        String proxyUrl = nonEmpty(text(f.get("proxy_url")));
        String noProxy = nonEmpty(text(f.get("no_proxy")));
        boolean fromEnv = f.containsKey("proxy_from_environment") && bool(f.get("proxy_from_environment"), "proxy_from_environment");
        boolean connectHeaders = given(f.get("proxy_connect_header"))
                && !YamlNodes.fields(f.get("proxy_connect_header"), "proxy_connect_header", null, errors).isEmpty();
        // prometheus/common's ProxyConfig.Validate
        if (connectHeaders && !fromEnv && proxyUrl == null) {
            throw new Invalid("if proxy_connect_header is configured, proxy_url or proxy_from_environment must also be configured");
        }
        if (fromEnv && proxyUrl != null) throw new Invalid("if proxy_from_environment is configured, proxy_url must not be configured");
        if (fromEnv && noProxy != null) throw new Invalid("if proxy_from_environment is configured, no_proxy must not be configured");
        if (proxyUrl == null && noProxy != null) throw new Invalid("if no_proxy is configured, proxy_url must also be configured");
        if (proxyUrl != null || fromEnv) throw new Invalid("proxy_url and proxy_from_environment are not supported by Tally");
    }

    /** config.go's validateAuthConfigs: at most one authentication, bearer_token counting as authorization. */
    private void authConfigs(Map<String, Node> f) {
        List<String> configured = new ArrayList<>();
        if (given(f.get("basic_auth"))) configured.add("basic_auth");
        if (given(f.get("authorization")) || nonEmpty(text(f.get("bearer_token"))) != null || nonEmpty(text(f.get("bearer_token_file"))) != null) {
            configured.add("authorization");
        }
        for (String k : List.of("oauth2", "sigv4", "azuread", "google_iam")) if (given(f.get(k))) configured.add(k);
        if (configured.size() > 1) {
            throw new Invalid("at most one of basic_auth, authorization, oauth2, sigv4, azuread or google_iam must be configured. "
                    + "Currently configured: [" + String.join(" ", configured) + "]");
        }
    }

    /** prometheus/common's TLSConfig.Validate, then the parts as ClientTls takes them. */
    private ClientTls.Spec tlsSpec(Map<String, Node> t) {
        String ca = nonEmpty(text(t.get("ca"))), cert = nonEmpty(text(t.get("cert"))), key = nonEmpty(text(t.get("key")));
        Path caFile = path(t.get("ca_file")), certFile = path(t.get("cert_file")), keyFile = path(t.get("key_file"));
        boolean caRef = nonEmpty(text(t.get("ca_ref"))) != null, certRef = nonEmpty(text(t.get("cert_ref"))) != null;
        boolean keyRef = nonEmpty(text(t.get("key_ref"))) != null;
        if (count(ca != null, caFile != null, caRef) > 1) throw new Invalid("at most one of ca, ca_file & ca_ref must be configured");
        if (count(cert != null, certFile != null, certRef) > 1) throw new Invalid("at most one of cert, cert_file & cert_ref must be configured");
        if (count(key != null, keyFile != null, keyRef) > 1) throw new Invalid("at most one of key and key_file must be configured");
        boolean usingCert = cert != null || certFile != null || certRef, usingKey = key != null || keyFile != null || keyRef;
        if (usingCert && !usingKey) throw new Invalid("exactly one of key or key_file must be configured when a client certificate is configured");
        if (usingKey && !usingCert) throw new Invalid("exactly one of cert or cert_file must be configured when a client key is configured");
        String min = text(t.get("min_version")), max = text(t.get("max_version"));
        for (String v : new String[] {min, max}) {
            if (v != null && !v.isEmpty() && !List.of("TLS10", "TLS11", "TLS12", "TLS13").contains(v)) throw new Invalid("unknown TLS version: " + v);
        }
        if (caRef || certRef || keyRef) throw new Invalid("tls_config: ca_ref, cert_ref and key_ref are not supported by Tally: it has no secret manager");
        boolean insecure = t.containsKey("insecure_skip_verify") && bool(t.get("insecure_skip_verify"), "insecure_skip_verify");
        return new ClientTls.Spec(ca, caFile, cert, certFile, key, keyFile, nonEmpty(text(t.get("server_name"))), insecure, min, max);
    }

    /** Absent: Prometheus's defaults; a given mapping overrides some; a YAML null is Go's zero value (and invalid). */
    private RemoteWriteConfig.QueueConfig queue(Node n) {
        Map<String, Node> q = YamlNodes.fields(n, "queue_config", QUEUE, errors);
        boolean zero = n != null && YamlNodes.isNull(n);
        int capacity = integer(q, "capacity", zero ? 0 : 10_000), maxShards = integer(q, "max_shards", zero ? 0 : 50);
        int minShards = integer(q, "min_shards", zero ? 0 : 1), maxSamples = integer(q, "max_samples_per_send", zero ? 0 : 2_000);
        Duration deadline = q.containsKey("batch_send_deadline") ? duration(q.get("batch_send_deadline"), "batch_send_deadline")
                : zero ? Duration.ZERO : Duration.ofSeconds(5);
        Duration minBackoff = q.containsKey("min_backoff") ? duration(q.get("min_backoff"), "min_backoff") : zero ? Duration.ZERO : Duration.ofMillis(30);
        Duration maxBackoff = q.containsKey("max_backoff") ? duration(q.get("max_backoff"), "max_backoff") : zero ? Duration.ZERO : Duration.ofSeconds(5);
        boolean retry429 = q.containsKey("retry_on_http_429") && bool(q.get("retry_on_http_429"), "retry_on_http_429");
        Duration ageLimit = q.containsKey("sample_age_limit") ? duration(q.get("sample_age_limit"), "sample_age_limit") : Duration.ZERO;
        // config.go's QueueConfig.Validate
        if (maxShards <= 0) throw new Invalid("remote write queue max_shards must be positive");
        if (minShards <= 0) throw new Invalid("remote write queue min_shards must be positive");
        if (minShards > maxShards) throw new Invalid("remote write queue min_shards must not be greater than max_shards");
        if (maxSamples <= 0) throw new Invalid("remote write queue max_samples_per_send must be positive");
        if (capacity <= 0) throw new Invalid("remote write queue capacity must be positive");
        if (maxBackoff.compareTo(minBackoff) < 0) throw new Invalid("remote write queue max_backoff must not be less than min_backoff");
        if (deadline.isZero()) throw new Invalid("remote write queue batch_send_deadline must be positive in Tally");
        return new RemoteWriteConfig.QueueConfig(capacity, maxShards, minShards, maxSamples, deadline, minBackoff, maxBackoff, retry429, ageLimit);
    }

    private RemoteWriteConfig.MetadataConfig metadata(Node n) {
        Map<String, Node> m = YamlNodes.fields(n, "metadata_config", METADATA, errors);
        boolean zero = n != null && YamlNodes.isNull(n); // metadata_config: with nothing after it is Go's zero value
        boolean send = m.containsKey("send") ? bool(m.get("send"), "send") : !zero;
        Duration interval = m.containsKey("send_interval") ? duration(m.get("send_interval"), "send_interval")
                : zero ? Duration.ZERO : Duration.ofMinutes(1);
        return new RemoteWriteConfig.MetadataConfig(send, interval, integer(m, "max_samples_per_send", zero ? 0 : 2_000));
    }

    /** Prometheus's default name: a hash of the entry. Tally hashes what identifies a target: URL, headers, relabeling. */
    static String defaultName(URI url, Map<String, String> headers, List<RelabelConfig> relabel) {
        StringBuilder sb = new StringBuilder(url.toString());
        new java.util.TreeMap<>(headers).forEach((k, v) -> sb.append('\n').append(k).append(": ").append(v));
        for (RelabelConfig r : relabel) sb.append('\n').append(r);
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md5).substring(0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String defaultName(RemoteWriteConfig c) {
        return defaultName(c.url(), c.headers(), c.writeRelabelConfigs());
    }

    private static String redacted(URI u) {
        if (u.getRawUserInfo() == null) return u.toString();
        return u.toString().replace(u.getRawUserInfo() + "@", u.getRawUserInfo().contains(":")
                ? u.getRawUserInfo().substring(0, u.getRawUserInfo().indexOf(':')) + ":xxxxx@" : u.getRawUserInfo() + "@");
    }

    // ---- scalars ----

    private static boolean given(Node n) {
        return n != null && !YamlNodes.isNull(n);
    }

    private static String nonEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static int count(boolean... given) {
        int n = 0;
        for (boolean g : given) if (g) n++;
        return n;
    }

    private String text(Node n) {
        return YamlNodes.scalar(n, "value", errors);
    }

    private static String tag(Node n) {
        return n instanceof ScalarNode s ? s.getTag().getValue().replace("tag:yaml.org,2002:", "") : "map";
    }

    private Path path(Node n) {
        String s = text(n);
        if (s == null || s.isEmpty()) return null;
        return dir.resolve(s);
    }

    /** YAML 1.1 booleans as Go's yaml.v2 reads them. */
    private boolean bool(Node n, String what) {
        String s = text(n);
        if (s == null) return false;
        return switch (s) {
            case "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE" -> true;
            case "n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE" -> false;
            default -> throw new Invalid(what + ": cannot unmarshal !!" + tag(n) + " `" + s + "` into bool");
        };
    }

    private int integer(Map<String, Node> m, String key, int dflt) {
        if (!m.containsKey(key)) return dflt;
        String s = text(m.get(key));
        if (s == null) return 0;
        try {
            return Integer.parseInt(s.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new Invalid(key + ": cannot unmarshal !!" + tag(m.get(key)) + " `" + s + "` into int");
        }
    }

    private Duration duration(Node n, String what) {
        String s = text(n);
        if (s == null) return Duration.ZERO;
        try {
            long ms = Durations.parseMillis(s);
            if (ms < 0) throw new IllegalArgumentException();
            return Duration.ofMillis(ms);
        } catch (RuntimeException e) {
            throw new Invalid(what + ": not a valid duration string: \"" + s + "\"");
        }
    }

    private static String quote(String s) {
        return tally.model.LabelNames.quote(s);
    }
}
