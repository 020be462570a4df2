package tally.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.server.testing.ExternalTool;
import tally.server.testing.TestCerts;

/**
 * Tally and Debian's {@code promtool check config} (Prometheus 2.42) accept and refuse the same remote_write sections.
 *
 * <p>Left out of the corpus, because 2.42 differs from Prometheus 3 (which Tally follows) or Tally refuses on purpose:
 * keys added after 2.42 ({@code protobuf_message}, {@code round_robin_dns}, {@code sample_age_limit},
 * {@code username_file}, {@code proxy_from_environment}, {@code http_headers}, {@code azuread}, {@code google_iam});
 * queue_config checks (2.42 has none: it takes {@code max_shards: 0}); a client certificate without its key or the
 * reverse (2.42's prometheus/common only finds out when it connects; Prometheus 3 refuses them at load); UTF-8 label names in relabeling (2.42 only
 * knows the legacy charset); and what Tally refuses that Prometheus takes: URLs that are not http(s), oauth2, sigv4,
 * proxies, zero remote_timeout or batch_send_deadline (see RemoteWriteConfigTest#whatTallyRefuses).
 */
class RemoteWritePromtoolTest {
    @TempDir
    Path dir;

    private static String rw(String entry) {
        return "remote_write:\n  - " + entry.strip().replace("\n", "\n    ") + "\n";
    }

    private static Map<String, String> corpus() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("good-minimal", rw("url: http://127.0.0.1:9201/api/v1/write"));
        c.put("good-two-targets", "remote_write:\n  - url: http://a:9201/write\n  - url: https://b/api/v1/push\n    name: b\n");
        c.put("good-headers-basic-auth", rw("url: https://mimir:8080/api/v1/push\nname: mimir\nremote_timeout: 10s\n"
                + "headers: {X-Scope-OrgID: team-a, THANOS-TENANT: t}\nbasic_auth: {username: u, password: p}"));
        c.put("good-basic-auth-file", rw("url: http://a/\nbasic_auth: {username: u, password_file: secret}"));
        c.put("good-authorization", rw("url: http://a/\nauthorization: {credentials: tok}"));
        c.put("good-authorization-type-file", rw("url: http://a/\nauthorization: {type: Token, credentials_file: secret}"));
        c.put("good-bearer-token", rw("url: http://a/\nbearer_token: tok"));
        c.put("good-bearer-token-file", rw("url: http://a/\nbearer_token_file: secret"));
        c.put("good-tls", rw("url: https://127.0.0.1:8443/write\ntls_config:\n  ca_file: ca.crt\n  cert_file: client.crt\n  key_file: client.key\n"
                + "  server_name: rw.example\n  min_version: TLS12\n  max_version: TLS13"));
        c.put("good-tls-insecure", rw("url: https://a/\ntls_config: {insecure_skip_verify: true}"));
        c.put("good-relabel-every-action", rw("""
                url: http://a/
                write_relabel_configs:
                  - source_labels: [__name__]
                    regex: claude_code_.*
                    action: keep
                  - source_labels: [__name__]
                    regex: go_.*
                    action: drop
                  - source_labels: [instance, job]
                    separator: '@'
                    regex: (.+)@(.+)
                    target_label: ${2}_instance
                    replacement: $1
                  - regex: session_id|user_email
                    action: labeldrop
                  - regex: __name__|instance|job|model|type
                    action: labelkeep
                  - regex: __meta_(.+)
                    replacement: meta_$1
                    action: labelmap
                  - source_labels: [instance]
                    modulus: 4
                    target_label: shard
                    action: hashmod
                  - source_labels: [model]
                    target_label: model_lower
                    action: lowercase
                  - source_labels: [model]
                    target_label: model_upper
                    action: Uppercase
                  - source_labels: [a]
                    target_label: b
                    action: keepequal
                  - source_labels: [a]
                    target_label: c
                    action: dropequal
                  - target_label: cluster
                    replacement: dev
                """));
        c.put("good-queue-metadata", rw("url: http://a/\nqueue_config:\n  capacity: 2500\n  max_shards: 10\n  min_shards: 2\n"
                + "  max_samples_per_send: 500\n  batch_send_deadline: 5s\n  min_backoff: 30ms\n  max_backoff: 100ms\n  retry_on_http_429: true\n"
                + "metadata_config: {send: false, send_interval: 1m, max_samples_per_send: 500}"));
        c.put("good-accepted-flags", rw("url: http://a/\nsend_exemplars: true\nsend_native_histograms: true\nfollow_redirects: false\nenable_http2: true"));
        c.put("good-empty-regex", rw("url: http://a/\nwrite_relabel_configs:\n  - {source_labels: [a], regex: , action: drop}"));

        c.put("bad-no-url", rw("name: x"));
        c.put("bad-null-entry", "remote_write:\n  -\n");
        c.put("bad-unknown-key", rw("url: http://a/\nurl_path: /x"));
        c.put("bad-unknown-queue-key", rw("url: http://a/\nqueue_config: {shards: 3}"));
        c.put("bad-reserved-header", rw("url: http://a/\nheaders: {Content-Encoding: gzip}"));
        c.put("bad-authorization-header", rw("url: http://a/\nheaders: {authorization: Bearer x}"));
        c.put("bad-version-header", rw("url: http://a/\nheaders: {X-Prometheus-Remote-Write-Version: 2.0.0}"));
        c.put("bad-basic-and-authorization", rw("url: http://a/\nbasic_auth: {username: u}\nauthorization: {credentials: c}"));
        c.put("bad-bearer-and-file", rw("url: http://a/\nbearer_token: a\nbearer_token_file: b"));
        c.put("bad-basic-and-bearer", rw("url: http://a/\nbasic_auth: {username: u}\nbearer_token: a"));
        c.put("bad-authorization-and-bearer", rw("url: http://a/\nauthorization: {credentials: c}\nbearer_token: a"));
        c.put("bad-authorization-basic-type", rw("url: http://a/\nauthorization: {type: Basic, credentials: c}"));
        c.put("bad-password-and-file", rw("url: http://a/\nbasic_auth: {username: u, password: p, password_file: f}"));
        c.put("bad-credentials-and-file", rw("url: http://a/\nauthorization: {credentials: c, credentials_file: f}"));
        c.put("bad-sigv4-and-basic", rw("url: http://a/\nsigv4: {region: eu-west-1}\nbasic_auth: {username: u}"));
        c.put("bad-tls-ca-twice", rw("url: https://a/\ntls_config: {ca: x, ca_file: ca.crt}"));
        c.put("bad-tls-version", rw("url: https://a/\ntls_config: {min_version: SSL3}"));
        c.put("bad-tls-unknown-key", rw("url: https://a/\ntls_config: {verify: false}"));
        c.put("bad-duplicate-names", "remote_write:\n  - url: http://a/\n    name: x\n  - url: http://b/\n    name: x\n");
        c.put("bad-null-relabel-rule", rw("url: http://a/\nwrite_relabel_configs:\n  -"));
        c.put("bad-relabel-action", rw("url: http://a/\nwrite_relabel_configs:\n  - {source_labels: [a], action: rename}"));
        c.put("bad-relabel-empty-action", rw("url: http://a/\nwrite_relabel_configs:\n  - {source_labels: [a], action: }"));
        c.put("bad-relabel-no-target", rw("url: http://a/\nwrite_relabel_configs:\n  - {source_labels: [a], regex: (.*)}"));
        c.put("bad-relabel-regex", rw("url: http://a/\nwrite_relabel_configs:\n  - {source_labels: [a], regex: 'a(b', action: keep}"));
        c.put("bad-relabel-lookahead", rw("url: http://a/\nwrite_relabel_configs:\n  - {source_labels: [a], regex: 'a(?=b)', action: keep}"));
        c.put("bad-relabel-unknown-key", rw("url: http://a/\nwrite_relabel_configs:\n  - {source_label: [a], action: keep}"));
        c.put("bad-relabel-hashmod-modulus", rw("url: http://a/\nwrite_relabel_configs:\n  - {source_labels: [a], target_label: h, action: hashmod}"));
        c.put("bad-relabel-labeldrop-sources", rw("url: http://a/\nwrite_relabel_configs:\n  - {source_labels: [a], regex: a, action: labeldrop}"));
        c.put("bad-relabel-labelkeep-empty-sources", rw("url: http://a/\nwrite_relabel_configs:\n  - {source_labels: [], regex: a, action: labelkeep}"));
        c.put("bad-relabel-labeldrop-target", rw("url: http://a/\nwrite_relabel_configs:\n  - {regex: a, target_label: b, action: labeldrop}"));
        c.put("bad-relabel-keepequal-regex", rw("url: http://a/\nwrite_relabel_configs:\n  - {source_labels: [a], target_label: b, regex: (.*), action: keepequal}"));
        c.put("bad-relabel-dropequal-separator", rw("url: http://a/\nwrite_relabel_configs:\n  - {source_labels: [a], target_label: b, separator: ',', action: dropequal}"));
        c.put("bad-relabel-lowercase-replacement", rw("url: http://a/\nwrite_relabel_configs:\n  - {source_labels: [a], target_label: b, replacement: x, action: lowercase}"));
        c.put("bad-relabel-labelmap-empty-replacement", rw("url: http://a/\nwrite_relabel_configs:\n  - {regex: a, replacement: '', action: labelmap}"));
        c.put("bad-relabel-empty-source-label", rw("url: http://a/\nwrite_relabel_configs:\n  - {source_labels: [''], action: keep}"));
        c.put("bad-queue-int", rw("url: http://a/\nqueue_config: {capacity: lots}"));
        c.put("bad-timeout", rw("url: http://a/\nremote_timeout: soon"));
        c.put("bad-not-a-list", "remote_write: {url: http://a/}\n");
        return c;
    }

    @Test
    void tallyAndPromtoolAgreeOnEveryFile() throws Exception {
        Assumptions.assumeTrue(ExternalTool.onPath("promtool"), "promtool is not installed (Debian package prometheus)");
        Assumptions.assumeTrue(TestCerts.available(), "openssl is not installed");
        TestCerts.make(dir);
        Files.writeString(dir.resolve("secret"), "s3cret\n");
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, String> e : corpus().entrySet()) {
            Path f = dir.resolve(e.getKey() + ".yml");
            Files.writeString(f, e.getValue());
            ExternalTool.Result promtool = ExternalTool.run(dir, "promtool", "check", "config", f.toString());
            boolean tallyOk;
            String tallyWhy = "";
            try {
                Flags.parse(List.of("--config.file=" + f));
                tallyOk = true;
            } catch (ConfigException ex) {
                tallyOk = false;
                tallyWhy = ex.getMessage();
            }
            boolean promOk = promtool.exitCode() == 0;
            assertEquals(e.getKey().startsWith("good"), tallyOk, e.getKey() + ": " + tallyWhy);
            if (promOk != tallyOk) {
                differences.add(e.getKey() + ": promtool " + promtool.output().strip() + " / tally " + (tallyOk ? "ok" : tallyWhy));
            }
        }
        assertEquals(List.of(), differences);
    }
}
