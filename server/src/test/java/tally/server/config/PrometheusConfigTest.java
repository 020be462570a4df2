package tally.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.rules.file.RuleFileGlobs;
import tally.rules.notify.AlertmanagerConfig;

/** --config.file as a prometheus.yml: the sections Tally uses, the ones it ignores (named), Tally's own keys, errors. */
class PrometheusConfigTest {
    @TempDir
    Path dir;

    private ServerConfig parse(String yaml) throws Exception {
        Path f = dir.resolve("prometheus.yml");
        Files.writeString(f, yaml);
        return Flags.parse(List.of("--config.file=" + f));
    }

    @Test
    void readsWhatAPrometheusUserHas() throws Exception {
        ServerConfig c = parse("""
                global:
                  scrape_interval: 15s
                  evaluation_interval: 30s
                  rule_query_offset: 10s
                  external_labels:
                    cluster: eu-1
                    replica: a
                rule_files:
                  - rules/*.yml
                  - alerts.yml
                alerting:
                  alertmanagers:
                    - scheme: https
                      path_prefix: /am
                      timeout: 5s
                      api_version: v2
                      basic_auth:
                        username: u
                        password_file: secrets/am-pass
                      static_configs:
                        - targets: ['alertmanager:9093', 'am2:9093']
                scrape_configs:
                  - job_name: claude
                    static_configs:
                      - targets: ['localhost:9464']
                otlp:
                  promote_resource_attributes: [service.instance.id, host.name]
                  keep_identifying_resource_attributes: true
                storage:
                  tsdb:
                    out_of_order_time_window: 30m
                remote_write:
                  - url: http://elsewhere/api/v1/write
                """);
        RuleSettings r = c.rules;
        assertEquals(30_000, r.evaluationIntervalMs());
        assertEquals(10_000, r.ruleQueryOffsetMs());
        assertEquals(Map.of("cluster", "eu-1", "replica", "a"), r.externalLabels());
        assertTrue(r.ruleFilesGiven());
        assertEquals(List.of("rules/*.yml", "alerts.yml"), r.ruleFilePatterns());
        assertEquals(dir.toAbsolutePath(), r.baseDir());
        AlertmanagerConfig am = r.alertmanagers().get(0);
        assertEquals("https", am.scheme());
        assertEquals("/am", am.pathPrefix());
        assertEquals(Duration.ofSeconds(5), am.timeout());
        assertEquals(List.of("alertmanager:9093", "am2:9093"), am.targets());
        assertEquals("u", am.basicAuth().username());
        assertEquals(dir.toAbsolutePath().resolve("secrets/am-pass"), am.basicAuth().passwordFile(), "relative to the config file");
        assertEquals(List.of("service.instance.id", "host.name"), c.promoteResourceAttributes);
        assertTrue(c.keepIdentifyingResourceAttributes);
        assertEquals(Duration.ofMinutes(30), c.outOfOrderWindow);
        assertEquals(List.of("global.scrape_interval", "scrape_configs"), c.ignoredConfig,
                "what Tally does not implement is named, not dropped silently");
        assertEquals("http://elsewhere/api/v1/write", c.remoteWrite.get(0).url().toString(), "remote_write is Tally's now");
    }

    @Test
    void defaultsWhenTheFileSaysNothingAboutRules() throws Exception {
        ServerConfig c = parse("global:\n  scrape_interval: 15s\n");
        assertEquals(60_000, c.rules.evaluationIntervalMs());
        assertFalse(c.rules.ruleFilesGiven(), "no rule_files key: Tally's default rules apply");
        assertTrue(parse("rule_files: []\n").rules.ruleFilesGiven(), "an empty list: the user wants no rules");
    }

    @Test
    void tallySettingsLiveInTheSameFile() throws Exception {
        ServerConfig c = parse("""
                storage.path: /srv/tally
                --storage.retention: 30d
                web.enable-lifecycle: true
                rules.alert.resend-delay: 30s
                rule_files: [a.yml]
                """);
        assertEquals("/srv/tally", c.storagePath);
        assertEquals(Duration.ofDays(30), c.retention);
        assertTrue(c.enableLifecycle);
        assertEquals(Duration.ofSeconds(30), c.resendDelay);
        assertEquals(List.of("a.yml"), c.rules.ruleFilePatterns());
    }

    @Test
    void theOlderFlatFormatStillWorks() throws Exception {
        ServerConfig c = parse("# flat\nstorage.path = /data\nweb.max-request-bytes: 8MiB\n");
        assertEquals("/data", c.storagePath);
        assertEquals(8L << 20, c.maxRequestBytes);
        assertFalse(c.rules.ruleFilesGiven());
    }

    @Test
    void errorsNameTheFilePlaceAndReason() {
        String[][] cases = {
                {"global:\n  evaluation_interval: soon\n", "evaluation_interval: not a valid duration string"},
                {"global:\n  scrape_intervl: 15s\n", "field scrape_intervl not found in global config"},
                {"global:\n  external_labels:\n    __x: y\n", "must not start with __"},
                {"alerting:\n  alertmanagers:\n    - api_version: v1\n      static_configs: [{targets: [a:9093]}]\n",
                        "expected Alertmanager api version to be one of [v2] but got v1"},
                {"alerting:\n  alertmanagers:\n    - static_configs: [{targets: ['http://am:9093']}]\n", "is not a valid hostname"},
                {"alerting:\n  alertmanagrs: []\n", "field alertmanagrs not found in alerting config"},
                {"rule_files: ['[a.yml']\n", "syntax error in pattern"},
                {"no.such.setting: 1\n", "unknown setting no.such.setting"},
                {"global: [\n", "yaml: line"},
                {"web.worker-threads: many\n", "web.worker-threads in"},
        };
        for (String[] c : cases) {
            ConfigException e = assertThrows(ConfigException.class, () -> parse(c[0]), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
            assertTrue(e.getMessage().contains("prometheus.yml"), e.getMessage());
        }
    }

    @Test
    void ruleFileGlobsAreGoGlobsRelativeToTheConfigFile() throws Exception {
        Files.createDirectories(dir.resolve("rules/team"));
        for (String f : new String[] {"rules/b.yml", "rules/a.yml", "rules/c.yaml", "rules/team/d.yml", "top.yml"}) {
            Files.writeString(dir.resolve(f), "groups: []\n");
        }
        assertEquals(List.of(dir.resolve("rules/a.yml"), dir.resolve("rules/b.yml")), RuleFileGlobs.resolve(dir, "rules/*.yml"));
        assertEquals(List.of(dir.resolve("rules/team/d.yml")), RuleFileGlobs.resolve(dir, "rules/*/*.yml"), "* stays in one path element");
        assertEquals(List.of(dir.resolve("top.yml")), RuleFileGlobs.resolve(dir, "top.yml"));
        assertEquals(List.of(), RuleFileGlobs.resolve(dir, "missing.yml"), "no match is not an error, as in Prometheus");
        assertEquals(List.of(dir.resolve("rules/c.yaml")), RuleFileGlobs.resolve(dir, "rules/?.yaml"));
        assertEquals(List.of(dir.resolve("rules/a.yml"), dir.resolve("rules/b.yml")), RuleFileGlobs.resolve(dir, "rules/[ab].yml"));
        assertEquals(List.of(dir.resolve("top.yml")), RuleFileGlobs.resolve(dir.resolve("rules"), "../top.yml"));
    }

    @Test
    void externalUrlAndBooleanFlags() throws Exception {
        ServerConfig c = Flags.parse(List.of("--web.external-url=https://tally.example.com/", "--no-rules.claude-code"));
        assertEquals("https://tally.example.com", c.externalUrl);
        assertFalse(c.claudeCodeRules);
        assertNull(Flags.parse(List.of()).externalUrl);
        assertTrue(Flags.parse(List.of()).claudeCodeRules);
        assertThrows(ConfigException.class, () -> Flags.parse(List.of("--web.external-url=tally:9090")));
    }
}
