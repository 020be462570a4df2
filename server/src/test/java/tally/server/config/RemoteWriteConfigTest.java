package tally.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.forward.RemoteWriteConfig;
import tally.forward.relabel.RelabelConfig;
import tally.forward.wire.ProtobufMessage;
import tally.server.Main;
import tally.server.testing.TestCerts;

/** prometheus.yml's remote_write: every key, Prometheus's defaults, its checks and messages, and what Tally refuses. */
class RemoteWriteConfigTest {
    @TempDir
    Path dir;

    private ServerConfig parse(String yaml) throws Exception {
        Path f = dir.resolve("prometheus.yml");
        Files.writeString(f, yaml);
        return Flags.parse(List.of("--config.file=" + f));
    }

    private RemoteWriteConfig one(String entry) throws Exception {
        List<RemoteWriteConfig> rw = parse("remote_write:\n  - " + entry.strip().replace("\n", "\n    ") + "\n").remoteWrite;
        assertEquals(1, rw.size());
        return rw.get(0);
    }

    private String error(String entry) {
        return error0("remote_write:\n  - " + entry.strip().replace("\n", "\n    ") + "\n");
    }

    private String error0(String yaml) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(yaml), yaml);
        return e.getMessage();
    }

    private static String basic(String user, String pass) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void defaultsArePrometheus3s() throws Exception {
        RemoteWriteConfig c = one("url: http://127.0.0.1:9201/api/v1/write");
        assertEquals(URI.create("http://127.0.0.1:9201/api/v1/write"), c.url());
        assertTrue(c.name().matches("[0-9a-f]{6}"), c.name());
        assertEquals(Duration.ofSeconds(30), c.remoteTimeout());
        assertEquals(Map.of(), c.headers());
        assertNull(c.authorization());
        assertNull(c.sslContext());
        assertNull(c.tlsServerName());
        assertEquals(List.of(), c.writeRelabelConfigs());
        assertEquals(RemoteWriteConfig.QueueConfig.defaults(), c.queue());
        assertEquals(new RemoteWriteConfig.QueueConfig(10_000, 50, 1, 2_000, Duration.ofSeconds(5), Duration.ofMillis(30),
                Duration.ofSeconds(5), false, Duration.ZERO), c.queue());
        assertEquals(new RemoteWriteConfig.MetadataConfig(true, Duration.ofMinutes(1), 2_000), c.metadata());
        assertEquals(ProtobufMessage.V1, c.protobufMessage());
        assertEquals(c.name(), one("url: http://127.0.0.1:9201/api/v1/write").name(), "the default name is stable");
        assertFalse(c.name().equals(one("url: http://127.0.0.1:9202/api/v1/write").name()), "and depends on the URL");
    }

    @Test
    void everyKey() throws Exception {
        Files.writeString(dir.resolve("pass"), "s3cret\n");
        RemoteWriteConfig c = one("""
                url: https://mimir.example:8443/api/v1/push
                name: mimir
                remote_timeout: 10s
                protobuf_message: io.prometheus.write.v2.Request
                headers:
                  X-Scope-OrgID: team-a
                  X-Custom: "1"
                basic_auth:
                  username: alice
                  password_file: pass
                tls_config:
                  insecure_skip_verify: true
                  server_name: mimir.internal
                  min_version: TLS12
                  max_version: TLS13
                write_relabel_configs:
                  - source_labels: [__name__]
                    regex: claude_code_.*
                    action: keep
                  - regex: session_id
                    action: labeldrop
                  - source_labels: [a, b]
                    separator: /
                    target_label: ab
                    replacement: x-$1
                  - source_labels: [instance]
                    modulus: 8
                    target_label: shard
                    action: HashMod
                queue_config:
                  capacity: 500
                  max_shards: 4
                  min_shards: 2
                  max_samples_per_send: 100
                  batch_send_deadline: 2s
                  min_backoff: 100ms
                  max_backoff: 10s
                  retry_on_http_429: true
                  sample_age_limit: 1h
                metadata_config:
                  send: false
                  send_interval: 2m
                  max_samples_per_send: 50
                send_exemplars: true
                send_native_histograms: true
                follow_redirects: false
                enable_http2: false
                """);
        assertEquals(URI.create("https://mimir.example:8443/api/v1/push"), c.url());
        assertEquals("mimir", c.name());
        assertEquals(Duration.ofSeconds(10), c.remoteTimeout());
        assertEquals(ProtobufMessage.V2, c.protobufMessage());
        assertEquals(Map.of("X-Scope-OrgID", "team-a", "X-Custom", "1"), c.headers());
        assertEquals(basic("alice", "s3cret"), c.authorization().get());
        assertNotNull(c.sslContext());
        assertEquals("mimir.internal", c.tlsServerName());
        assertEquals(4, c.writeRelabelConfigs().size());
        assertEquals(RelabelConfig.of("keep", List.of("__name__"), "claude_code_.*", null, null), c.writeRelabelConfigs().get(0));
        assertEquals(new RelabelConfig(List.of("a", "b"), "/", "(.*)", 0, "ab", "x-$1", "replace"), c.writeRelabelConfigs().get(2));
        assertEquals(new RelabelConfig(List.of("instance"), ";", "(.*)", 8, "shard", "$1", "hashmod"), c.writeRelabelConfigs().get(3));
        assertEquals(new RemoteWriteConfig.QueueConfig(500, 4, 2, 100, Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofSeconds(10),
                true, Duration.ofHours(1)), c.queue());
        assertEquals(new RemoteWriteConfig.MetadataConfig(false, Duration.ofMinutes(2), 50), c.metadata());
        ServerConfig s = parse("remote_write:\n  - url: http://a/\n    send_exemplars: true\n    send_native_histograms: false\n    enable_http2: true\n");
        assertEquals(List.of("remote_write[].send_exemplars", "remote_write[].enable_http2"), s.ignoredConfig,
                "accepted and named as ignored: Tally stores no exemplars, its HTTP client is not Go's");
    }

    @Test
    void authorizationHeaders() throws Exception {
        assertEquals("Bearer t0k", one("url: http://a/\nauthorization:\n  credentials: t0k").authorization().get());
        assertEquals("Bearer t0k", one("url: http://a/\nauthorization:\n  type: '  '\n  credentials: t0k").authorization().get());
        assertEquals("Token t0k", one("url: http://a/\nauthorization:\n  type: Token\n  credentials: t0k").authorization().get());
        assertEquals("Bearer t0k", one("url: http://a/\nbearer_token: t0k").authorization().get());
        assertEquals("Bearer ", one("url: http://a/\nauthorization: {}").authorization().get(), "as Go formats it: type, space, nothing");
        assertEquals(basic("u", ""), one("url: http://a/\nbasic_auth:\n  username: u").authorization().get());
        assertEquals(basic("", ""), one("url: http://a/\nbasic_auth: {}").authorization().get());
        assertNull(one("url: http://a/\nbasic_auth:\nauthorization:").authorization(), "null sections are not given");
        // user:password in the URL, as Go's http.Client sends it (before any configured authorization)
        RemoteWriteConfig u = one("url: http://bob:p%40ss@a:9201/write\nauthorization:\n  credentials: x");
        assertEquals(basic("bob", "p@ss"), u.authorization().get());
        assertEquals(URI.create("http://a:9201/write"), u.url(), "the URL sent, and logged, has no user information");
    }

    @Test
    void credentialFilesAreReadAtEveryRequestRelativeToTheConfigFile() throws Exception {
        Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(dir.resolve("secrets/token"), "first\n");
        Files.writeString(dir.resolve("secrets/user"), " carol ");
        Files.writeString(dir.resolve("secrets/pass"), "one");
        RemoteWriteConfig a = one("url: http://a/\nauthorization:\n  credentials_file: secrets/token");
        RemoteWriteConfig b = one("url: http://a/\nbasic_auth:\n  username_file: secrets/user\n  password_file: secrets/pass");
        RemoteWriteConfig t = one("url: http://a/\nbearer_token_file: secrets/token");
        assertEquals("Bearer first", a.authorization().get());
        assertEquals("Bearer first", t.authorization().get());
        assertEquals(basic("carol", "one"), b.authorization().get());
        Files.writeString(dir.resolve("secrets/token"), "second");
        Files.writeString(dir.resolve("secrets/pass"), "two");
        assertEquals("Bearer second", a.authorization().get(), "rotated credentials are picked up");
        assertEquals(basic("carol", "two"), b.authorization().get());
        Files.delete(dir.resolve("secrets/token"));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> a.authorization().get());
        assertTrue(e.getMessage().startsWith("unable to read authorization credentials: unable to read file " + dir.toAbsolutePath()), e.getMessage());
    }

    @Test
    void namesAreUnique() throws Exception {
        assertEquals(2, parse("remote_write:\n  - url: http://a/\n  - url: http://a/\n    headers: {X-Scope-OrgID: b}\n").remoteWrite.size(),
                "same URL, other tenant: another target");
        assertTrue(error0("remote_write:\n  - url: http://a/\n    name: x\n  - url: http://b/\n    name: x\n")
                .contains("found multiple remote write configs with job name \"x\""));
        assertTrue(error0("remote_write:\n  - url: http://a/\n  - url: http://a/\n")
                .contains("duplicate remote write configs are not allowed, found duplicate for URL: http://a/"));
    }

    @Test
    void prometheusChecksAndMessages() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("name: x", "url for remote_write is empty");
        cases.put("url:", "url for remote_write is empty");
        cases.put("url: http://a/\nheaders: {Content-Type: text/plain}", "Content-Type is a reserved header. It must not be changed");
        cases.put("url: http://a/\nheaders: {x-prometheus-remote-write-version: 2.0.0}", "x-prometheus-remote-write-version is a reserved header");
        cases.put("url: http://a/\nheaders: {User-Agent: me}", "User-Agent is a reserved header");
        cases.put("url: http://a/\nheaders: {Authorization: Bearer x}",
                "authorization header must be changed via the basic_auth, authorization, oauth2, sigv4, azuread or google_iam parameter");
        cases.put("url: http://a/\nprotobuf_message: io.prometheus.write.v3.Request",
                "invalid protobuf_message value: unknown remote write protobuf message io.prometheus.write.v3.Request");
        cases.put("url: http://a/\nbearer_token: a\nbearer_token_file: b", "at most one of bearer_token & bearer_token_file must be configured");
        cases.put("url: http://a/\nbasic_auth: {username: u}\nbearer_token: a", "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured");
        cases.put("url: http://a/\nbasic_auth: {username: u, username_file: f}", "at most one of basic_auth username, username_file & username_ref must be configured");
        cases.put("url: http://a/\nbasic_auth: {password: p, password_file: f}", "at most one of basic_auth password, password_file & password_ref must be configured");
        cases.put("url: http://a/\nauthorization: {credentials: c}\nbearer_token: a", "authorization is not compatible with bearer_token & bearer_token_file");
        cases.put("url: http://a/\nauthorization: {credentials: c, credentials_file: f}", "at most one of authorization credentials & credentials_file must be configured");
        cases.put("url: http://a/\nauthorization: {type: basic, credentials: c}", "authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
        cases.put("url: http://a/\nauthorization: {credentials: c}\nbasic_auth: {username: u}", "at most one of basic_auth, oauth2 & authorization must be configured");
        cases.put("url: http://a/\nsigv4: {region: eu-west-1}\nbasic_auth: {username: u}",
                "at most one of basic_auth, authorization, oauth2, sigv4, azuread or google_iam must be configured. Currently configured: [basic_auth sigv4]");
        cases.put("url: http://a/\nbearer_token: t\ngoogle_iam: {credentials_file: f}",
                "Currently configured: [authorization google_iam]");
        cases.put("url: http://a/\nno_proxy: localhost", "if no_proxy is configured, proxy_url must also be configured");
        cases.put("url: http://a/\nproxy_from_environment: true\nproxy_url: http://p:3128/", "if proxy_from_environment is configured, proxy_url must not be configured");
        cases.put("url: http://a/\nproxy_connect_header: {X: [y]}", "if proxy_connect_header is configured, proxy_url or proxy_from_environment must also be configured");
        cases.put("url: http://a/\ntls_config: {ca: x, ca_file: y}", "at most one of ca, ca_file & ca_ref must be configured");
        cases.put("url: http://a/\ntls_config: {cert: x, cert_file: y, key: z}", "at most one of cert, cert_file & cert_ref must be configured");
        cases.put("url: http://a/\ntls_config: {key: x, key_file: y, cert: z}", "at most one of key and key_file must be configured");
        cases.put("url: http://a/\ntls_config: {cert_file: c}", "exactly one of key or key_file must be configured when a client certificate is configured");
        cases.put("url: http://a/\ntls_config: {key_file: k}", "exactly one of cert or cert_file must be configured when a client key is configured");
        cases.put("url: http://a/\ntls_config: {min_version: TLS14}", "unknown TLS version: TLS14");
        cases.put("url: http://a/\ntls_config: {min_version: TLS13, max_version: TLS12}",
                "tls_config.max_version must be greater than or equal to tls_config.min_version if both are specified");
        cases.put("url: http://a/\ntls_config: {ca_file: nowhere.crt}", "failed to read ca_file (");
        cases.put("url: http://a/\nqueue_config: {max_shards: 0}", "remote write queue max_shards must be positive");
        cases.put("url: http://a/\nqueue_config: {min_shards: 0}", "remote write queue min_shards must be positive");
        cases.put("url: http://a/\nqueue_config: {min_shards: 60}", "remote write queue min_shards must not be greater than max_shards");
        cases.put("url: http://a/\nqueue_config: {max_samples_per_send: -1}", "remote write queue max_samples_per_send must be positive");
        cases.put("url: http://a/\nqueue_config: {capacity: 0}", "remote write queue capacity must be positive");
        cases.put("url: http://a/\nqueue_config: {min_backoff: 10s}", "remote write queue max_backoff must not be less than min_backoff");
        cases.put("url: http://a/\nqueue_config:", "remote write queue max_shards must be positive");
        cases.put("url: http://a/\nqueue_config: {capacity: lots}", "capacity: cannot unmarshal !!str `lots` into int");
        cases.put("url: http://a/\nqueue_config: {retry_on_http_429: maybe}", "retry_on_http_429: cannot unmarshal !!str `maybe` into bool");
        cases.put("url: http://a/\nremote_timeout: soon", "remote_timeout: not a valid duration string: \"soon\"");
        cases.put("url: http://a/\nwrite_relabel_configs:\n  -", "empty or null relabeling rule in remote write config");
        cases.put("url: http://a/\nwrite_relabel_configs:\n  - action: rename", "unknown relabel action \"rename\"");
        cases.put("url: http://a/\nwrite_relabel_configs:\n  - action: replace", "relabel configuration for replace action requires 'target_label' value");
        cases.put("url: http://a/\nwrite_relabel_configs:\n  - action:", "relabel action cannot be empty");
        cases.put("url: http://a/\nwrite_relabel_configs:\n  - {source_labels: [a], regex: '(a', action: keep}",
                "error parsing regexp: missing closing ): `^(?s:(a)$`");
        cases.put("url: http://a/\nwrite_relabel_configs:\n  - {source_labels: [a], action: hashmod, target_label: b}",
                "relabel configuration for hashmod requires non-zero modulus");
        cases.put("url: http://a/\nwrite_relabel_configs:\n  - {source_labels: [a], action: hashmod, target_label: b, modulus: -1}",
                "cannot unmarshal !!int `-1` into uint64");
        cases.put("url: http://a/\nwrite_relabel_configs:\n  - {source_labels: [], regex: x, action: labelkeep}",
                "labelkeep action requires only 'regex', and no other fields");
        cases.put("url: http://a/\nwrite_relabel_configs:\n  - {source_labels: [a], target_label: b, regex: (.*), action: dropequal}",
                "dropequal action requires only 'source_labels' and `target_label`, and no other fields");
        cases.put("url: http://a/\nwrite_relabel_configs:\n  - {source_labels: [''], action: keep}", "\"\" is not a valid label name");
        cases.put("url: http://a/\nwrite_relabel_configs:\n  - {regex: x, action: labelmap, replacement: ''}", "\"\" is invalid 'replacement' for labelmap action");
        cases.put("url: http://a/\nwrite_relabel_configs:\n  - {target_label: b, replacement: x, action: lowercase}",
                "'replacement' can not be set for lowercase action");
        cases.put("url: http://a/\nurl_path: /x", "field url_path not found in remote_write config");
        cases.put("url: http://a/\nqueue_config: {shards: 3}", "field shards not found in queue_config");
        cases.put("url: http://a/\ntls_config: {verify: false}", "field verify not found in tls_config");
        cases.put("url: http://a/\nbasic_auth: {user: u}", "field user not found in basic_auth");
        cases.put("url: http://a/\nmetadata_config: {sent: true}", "field sent not found in metadata_config");
        cases.put("url: http://a/\nwrite_relabel_configs:\n  - {source_label: [a], action: keep}", "field source_label not found in relabel config");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String msg = error(c.getKey());
            assertTrue(msg.contains(c.getValue()), c.getKey() + "\n  wanted: " + c.getValue() + "\n  got:    " + msg);
        }
        assertTrue(error0("remote_write:\n  -\n").contains("empty or null remote write config section"));
        assertTrue(error0("remote_write: {url: http://a/}\n").contains("remote_write must be a list"));
    }

    @Test
    void whatTallyRefuses() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("url: ftp://a/", "Tally sends to http:// and https:// URLs only");
        cases.put("url: a.example:9201/write", "Tally sends to http:// and https:// URLs only");
        cases.put("url: 'http:///write'", "has no host");
        cases.put("url: 'http://a b/'", "parse \"http://a b/\"");
        cases.put("url: http://a/\nremote_timeout: 0s", "remote_timeout must be positive in Tally");
        cases.put("url: http://a/\nqueue_config: {batch_send_deadline: 0s}", "batch_send_deadline must be positive in Tally");
        cases.put("url: http://a/\noauth2: {client_id: c, client_secret: s, token_url: http://t/}", "oauth2 is not supported by Tally");
        cases.put("url: http://a/\nsigv4: {}", "sigv4 is not supported by Tally");
        cases.put("url: http://a/\nazuread: {cloud: AzurePublic}", "azuread is not supported by Tally");
        cases.put("url: http://a/\ngoogle_iam: {credentials_file: f}", "google_iam is not supported by Tally");
        cases.put("url: http://a/\nproxy_url: http://proxy:3128/", "proxy_url and proxy_from_environment are not supported by Tally");
        cases.put("url: http://a/\nproxy_from_environment: true", "not supported by Tally");
        cases.put("url: http://a/\nhttp_headers: {X-Foo: {values: [a]}}", "http_headers is not supported by Tally; use headers");
        cases.put("url: http://a/\nbasic_auth: {username: u, password_ref: vault}", "basic_auth.password_ref is not supported by Tally");
        cases.put("url: http://a/\ntls_config: {ca_ref: vault}", "ca_ref, cert_ref and key_ref are not supported by Tally");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String msg = error(c.getKey());
            assertTrue(msg.contains(c.getValue()), c.getKey() + "\n  wanted: " + c.getValue() + "\n  got:    " + msg);
        }
    }

    @Test
    void emptyAndNullValuesAsGoReadsThem() throws Exception {
        // regex: with nothing is an empty regex (matches only ""), not the default
        RelabelConfig r = one("url: http://a/\nwrite_relabel_configs:\n  - {source_labels: [a], regex: , action: drop}").writeRelabelConfigs().get(0);
        assertEquals("", r.regex());
        assertEquals(new RemoteWriteConfig.MetadataConfig(false, Duration.ZERO, 0), one("url: http://a/\nmetadata_config:").metadata());
        assertEquals(new RemoteWriteConfig.MetadataConfig(true, Duration.ofMinutes(1), 10), one("url: http://a/\nmetadata_config: {max_samples_per_send: 10}").metadata(),
                "a mapping overrides only what it names");
        assertEquals(ProtobufMessage.V1, one("url: http://a/\nprotobuf_message: ''").protobufMessage());
        assertNull(one("url: http://a/\ntls_config:").sslContext(), "a null tls_config is the default");
        assertNull(one("url: http://a/\nproxy_url: ''\nproxy_from_environment: false").authorization(), "empty proxy settings are no proxy");
    }

    @Test
    void tlsFilesAreReadRelativeToTheConfigFile() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestCerts.available(), "openssl is not installed");
        Path certs = Files.createDirectories(dir.resolve("certs"));
        TestCerts.make(certs);
        RemoteWriteConfig c = one("url: https://127.0.0.1:1/\ntls_config:\n  ca_file: certs/ca.crt\n  cert_file: certs/client.crt\n  key_file: certs/client-sec1.key");
        assertNotNull(c.sslContext());
        String inline = Files.readString(certs.resolve("ca.crt")).replace("\n", "\n      ");
        assertNotNull(one("url: https://127.0.0.1:1/\ntls_config:\n  ca: |\n      " + inline).sslContext());
        assertTrue(error("url: https://a/\ntls_config:\n  cert_file: certs/server.crt\n  key_file: certs/client.key")
                .contains("private key does not match public key"));
        assertTrue(error("url: https://a/\ntls_config:\n  ca_file: certs/ca.srl").contains("unable to use specified CA cert"));
    }

    @Test
    void checkConfigListsTheTargets() throws Exception {
        Path f = dir.resolve("prometheus.yml");
        Files.writeString(f, "remote_write:\n  - url: http://a:9201/api/v1/write\n    name: vm\n  - url: https://b/push\n"
                + "    protobuf_message: io.prometheus.write.v2.Request\n    write_relabel_configs:\n      - {regex: x, action: labeldrop}\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"check", "config", f.toString()}, cfg -> null, new PrintStream(out, true), new PrintStream(err, true));
        assertEquals(0, code, err.toString());
        String text = out.toString();
        assertTrue(text.contains("  SUCCESS: 2 remote_write targets found\n    vm: http://a:9201/api/v1/write (prometheus.WriteRequest)\n"), text);
        assertTrue(text.contains(": https://b/push (io.prometheus.write.v2.Request, 1 write_relabel_configs)"), text);
    }
}
