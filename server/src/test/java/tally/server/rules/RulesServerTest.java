package tally.server.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Appender;
import tally.model.Labels;
import tally.server.config.Flags;
import tally.server.config.ServerConfig;
import tally.server.testing.PromApi;
import tally.server.testing.TestServer;

/**
 * Rules inside a running server, configured by a prometheus.yml: /api/v1/rules and /api/v1/alerts in Prometheus's
 * shape, the rule metrics, reloads that are all or nothing, rules that fail without stopping their group, and the
 * built-in Claude Code rules.
 */
class RulesServerTest {
    @TempDir
    Path dir;

    private static final String RULES = """
            groups:
              - name: usage
                interval: 1s
                rules:
                  - record: job:tokens:sum
                    expr: sum by (job) (tokens)
                  - alert: TokensHigh
                    expr: job:tokens:sum > 100
                    labels:
                      severity: '{{ if gt $value 1000.0 }}page{{ else }}warning{{ end }}'
                    annotations:
                      summary: '{{ $labels.job }} uses {{ $value }} tokens'
                  - alert: TokensVeryHigh
                    expr: job:tokens:sum > 100
                    for: 1h
                    keep_firing_for: 5m
                    annotations:
                      runbook: '{{ humanize "many" }}'
              - name: broken
                interval: 1s
                rules:
                  - record: bad:duplicate
                    expr: tokens + on() group_left tokens
                  - record: good:after_bad
                    expr: count(tokens)
            """;

    private ServerConfig config(String rules, boolean lifecycle) throws Exception {
        Files.writeString(dir.resolve("usage.rules.yml"), rules);
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  evaluation_interval: 1s
                  external_labels:
                    cluster: test
                rule_files:
                  - "*.rules.yml"
                scrape_configs: []
                """);
        List<String> flags = new ArrayList<>(List.of("--config.file=" + dir.resolve("prometheus.yml"), "--web.external-url=http://tally.test:9090"));
        if (lifecycle) flags.add("--web.enable-lifecycle");
        return Flags.parse(flags);
    }

    private static TestServer serve(ServerConfig parsed) throws Exception {
        return new TestServer(c -> {
            c.configFile = parsed.configFile;
            c.rules = parsed.rules;
            c.ignoredConfig = parsed.ignoredConfig;
            c.fileSettings = parsed.fileSettings;
            c.externalUrl = parsed.externalUrl;
            c.enableLifecycle = parsed.enableLifecycle;
        });
    }

    private static void write(TestServer s, String job, double v) throws Exception {
        Appender a = s.storage.appender();
        a.append(0, Labels.of("__name__", "tokens", "job", job), System.currentTimeMillis(), v);
        a.commit();
    }

    private static JsonObject await(PromApi api, String path, Predicate<JsonObject> ready) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonObject last = null;
        while (System.nanoTime() < deadline) {
            PromApi.Reply r = api.get(path);
            assertEquals(200, r.status(), r.body());
            last = r.data().getAsJsonObject();
            if (ready.test(last)) return last;
            Thread.sleep(100);
        }
        throw new AssertionError("not reached in 20 s: " + last);
    }

    private static JsonObject group(JsonObject rules, String name) {
        for (JsonElement g : rules.getAsJsonArray("groups")) if (g.getAsJsonObject().get("name").getAsString().equals(name)) return g.getAsJsonObject();
        return null;
    }

    private static JsonObject rule(JsonObject group, String name) {
        for (JsonElement r : group.getAsJsonArray("rules")) if (r.getAsJsonObject().get("name").getAsString().equals(name)) return r.getAsJsonObject();
        return null;
    }

    @Test
    void rulesAndAlertsApisInPrometheusShape() throws Exception {
        try (TestServer s = serve(config(RULES, false))) {
            PromApi api = new PromApi(s.webUrl(""));
            write(s, "a", 500);
            write(s, "b", 5);
            JsonObject rules = await(api, "/api/v1/rules", d -> {
                JsonObject g = group(d, "usage");
                // the group's last evaluation is set when the whole group is done, after the alert's state
                return g != null && rule(g, "TokensHigh").get("state").getAsString().equals("firing")
                        && !g.get("lastEvaluation").getAsString().startsWith("0001");
            });
            JsonObject usage = group(rules, "usage");
            assertEquals(dir.resolve("usage.rules.yml").toAbsolutePath().toString(), usage.get("file").getAsString());
            assertEquals(1.0, usage.get("interval").getAsDouble());
            assertEquals(0, usage.get("limit").getAsInt());
            assertTrue(usage.get("evaluationTime").getAsDouble() >= 0);
            assertNotEquals("0001-01-01T00:00:00Z", usage.get("lastEvaluation").getAsString());
            assertEquals(List.of("name", "file", "rules", "interval", "limit", "evaluationTime", "lastEvaluation"),
                    new ArrayList<>(usage.keySet()));

            JsonObject rec = rule(usage, "job:tokens:sum");
            assertEquals("recording", rec.get("type").getAsString());
            assertEquals("sum by (job) (tokens)", rec.get("query").getAsString());
            assertEquals("ok", rec.get("health").getAsString());
            assertEquals(List.of("name", "query", "labels", "health", "evaluationTime", "lastEvaluation", "type"),
                    new ArrayList<>(rec.keySet()));

            JsonObject high = rule(usage, "TokensHigh");
            assertEquals(List.of("state", "name", "query", "duration", "keepFiringFor", "labels", "annotations", "alerts",
                    "health", "evaluationTime", "lastEvaluation", "type"), new ArrayList<>(high.keySet()));
            assertEquals("alerting", high.get("type").getAsString());
            JsonArray alerts = high.getAsJsonArray("alerts");
            assertEquals(1, alerts.size(), "only job a is above 100");
            JsonObject alert = alerts.get(0).getAsJsonObject();
            assertEquals("{\"alertname\":\"TokensHigh\",\"job\":\"a\",\"severity\":\"warning\"}", alert.get("labels").toString());
            assertEquals("a uses 500 tokens", alert.getAsJsonObject("annotations").get("summary").getAsString());
            assertEquals("firing", alert.get("state").getAsString());
            assertEquals("5e+02", alert.get("value").getAsString(), "Go's %e");

            JsonObject veryHigh = rule(usage, "TokensVeryHigh");
            assertEquals("pending", veryHigh.get("state").getAsString(), "for: 1h");
            assertEquals(3600.0, veryHigh.get("duration").getAsDouble());
            assertEquals(300.0, veryHigh.get("keepFiringFor").getAsDouble());
            // a template that fails at expansion leaves Prometheus's error string in place of the text (column 115:
            // Prometheus prepends its variable definitions to every template)
            String runbook = veryHigh.getAsJsonArray("alerts").get(0).getAsJsonObject().getAsJsonObject("annotations").get("runbook").getAsString();
            assertTrue(runbook.startsWith("<error expanding template: error executing template __alert_TokensVeryHigh: template: __alert_TokensVeryHigh:1:115: "
                    + "executing \"__alert_TokensVeryHigh\" at <humanize \"many\">: error calling humanize: "), runbook);

            // a rule whose query fails shows the error and does not stop the rules after it
            JsonObject broken = group(await(api, "/api/v1/rules", d -> {
                JsonObject g = group(d, "broken");
                return g != null && !rule(g, "good:after_bad").get("health").getAsString().equals("unknown");
            }), "broken");
            JsonObject bad = rule(broken, "bad:duplicate");
            assertEquals("err", bad.get("health").getAsString());
            assertTrue(bad.get("lastError").getAsString().contains("many-to-many") || bad.get("lastError").getAsString().contains("duplicate"),
                    bad.get("lastError").getAsString());
            assertEquals("ok", rule(broken, "good:after_bad").get("health").getAsString());
            assertEquals(2.0, s.samples(Labels.of("__name__", "good:after_bad")).lastEntry().getValue());

            // /api/v1/alerts: pending and firing, no inactive
            JsonArray all = api.get("/api/v1/alerts").data().getAsJsonObject().getAsJsonArray("alerts");
            assertEquals(2, all.size(), all.toString());
            for (JsonElement e : all) {
                JsonObject a = e.getAsJsonObject();
                assertEquals(List.of("labels", "annotations", "state", "activeAt", "value"), new ArrayList<>(a.keySet()));
            }

            // filters
            JsonObject onlyRecord = api.get("/api/v1/rules?type=record").data().getAsJsonObject();
            for (JsonElement g : onlyRecord.getAsJsonArray("groups")) {
                for (JsonElement r : g.getAsJsonObject().getAsJsonArray("rules")) assertEquals("recording", r.getAsJsonObject().get("type").getAsString());
            }
            JsonObject byName = api.get("/api/v1/rules?rule_name[]=TokensHigh&exclude_alerts=true").data().getAsJsonObject();
            assertEquals(1, byName.getAsJsonArray("groups").size());
            JsonObject only = byName.getAsJsonArray("groups").get(0).getAsJsonObject().getAsJsonArray("rules").get(0).getAsJsonObject();
            assertEquals("TokensHigh", only.get("name").getAsString());
            assertTrue(only.get("alerts").isJsonNull(), "exclude_alerts leaves the alerts out");
            assertEquals(1, api.get("/api/v1/rules?rule_group[]=broken").data().getAsJsonObject().getAsJsonArray("groups").size());
            assertEquals(0, api.get("/api/v1/rules?file[]=nope.yml").data().getAsJsonObject().getAsJsonArray("groups").size());
            assertEquals(400, api.get("/api/v1/rules?type=both").status());

            // recorded series and ALERTS in the storage (a rule's samples are committed just after its state changes)
            long deadline = System.currentTimeMillis() + 10_000;
            while ((s.byName("ALERTS").isEmpty() || s.byName("ALERTS_FOR_STATE").isEmpty()) && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(500.0, s.samples(Labels.of("__name__", "job:tokens:sum", "job", "a")).lastEntry().getValue());
            assertFalse(s.byName("ALERTS").isEmpty());
            assertFalse(s.byName("ALERTS_FOR_STATE").isEmpty());

            // Prometheus's rule metrics
            String metrics = s.get(s.webUrl("/metrics")).body();
            String key = dir.resolve("usage.rules.yml").toAbsolutePath() + ";usage";
            for (String m : new String[] {"prometheus_rule_evaluations_total{rule_group=\"" + key + "\"}",
                    "prometheus_rule_evaluation_failures_total{rule_group=\"" + key.replace(";usage", ";broken") + "\"}",
                    "prometheus_rule_group_last_duration_seconds{rule_group=\"" + key + "\"}",
                    "prometheus_rule_group_iterations_missed_total{rule_group=\"" + key + "\"} 0",
                    "prometheus_rule_group_last_evaluation_timestamp_seconds{rule_group=\"" + key + "\"}",
                    "prometheus_rule_group_interval_seconds{rule_group=\"" + key + "\"} 1",
                    "prometheus_config_last_reload_successful 1", "prometheus_notifications_queue_capacity 10000"}) {
                assertTrue(metrics.contains(m), m + " in\n" + metrics);
            }
            assertTrue(metrics.contains("prometheus_rule_evaluation_failures_total{rule_group=\"" + key + "\"} 0\n"), "usage never fails");
        }
    }

    @Test
    void reloadIsAllOrNothingAndKeepsUnchangedGroups() throws Exception {
        try (TestServer s = serve(config(RULES, true))) {
            PromApi api = new PromApi(s.webUrl(""));
            write(s, "a", 500);
            JsonObject before = await(api, "/api/v1/alerts", d -> d.getAsJsonArray("alerts").size() == 2);
            String activeAt = before.getAsJsonArray("alerts").get(0).getAsJsonObject().get("activeAt").getAsString();

            // a bad file: 500 with the reason, the old rules keep running, the metric says so
            Files.writeString(dir.resolve("usage.rules.yml"), RULES.replace("expr: sum by (job) (tokens)", "expr: sum by (job) (tokens"));
            HttpResponse<String> r = post(s, "/-/reload");
            assertEquals(500, r.statusCode());
            assertTrue(r.body().startsWith("failed to reload config: "), r.body());
            assertTrue(r.body().contains("usage.rules.yml"), r.body());
            assertTrue(s.get(s.webUrl("/metrics")).body().contains("prometheus_config_last_reload_successful 0"));
            assertTrue(api.get("/api/v1/status/runtimeinfo").body().contains("\"reloadConfigSuccess\":false"));
            assertEquals(3, group(api.get("/api/v1/rules").data().getAsJsonObject(), "usage").getAsJsonArray("rules").size());

            // a good file that changes only the broken group: usage keeps its alerts (same activeAt)
            Files.writeString(dir.resolve("usage.rules.yml"), RULES.replace("expr: count(tokens)", "expr: count(tokens) * 2"));
            assertEquals(200, post(s, "/-/reload").statusCode());
            assertTrue(s.get(s.webUrl("/metrics")).body().contains("prometheus_config_last_reload_successful 1"));
            JsonObject after = api.get("/api/v1/alerts").data().getAsJsonObject();
            assertEquals(activeAt, after.getAsJsonArray("alerts").get(0).getAsJsonObject().get("activeAt").getAsString());
            assertEquals("count(tokens) * 2", rule(group(api.get("/api/v1/rules").data().getAsJsonObject(), "broken"), "good:after_bad")
                    .get("query").getAsString());

            // removing the file removes its groups
            Files.delete(dir.resolve("usage.rules.yml"));
            assertEquals(200, post(s, "/-/reload").statusCode());
            assertEquals(0, api.get("/api/v1/rules").data().getAsJsonObject().getAsJsonArray("groups").size());
        }
    }

    @Test
    void lifecycleEndpointsNeedTheFlag() throws Exception {
        try (TestServer s = serve(config(RULES, false))) {
            HttpResponse<String> r = post(s, "/-/reload");
            assertEquals(403, r.statusCode());
            assertEquals("Lifecycle API is not enabled.", r.body().strip());
            assertEquals(403, post(s, "/-/quit").statusCode());
        }
    }

    @Test
    void claudeCodeRulesAreOnByDefaultAndOffByFlagOrByRuleFiles() throws Exception {
        try (TestServer s = new TestServer()) {
            JsonObject rules = new PromApi(s.webUrl("")).get("/api/v1/rules").data().getAsJsonObject();
            JsonArray groups = rules.getAsJsonArray("groups");
            assertEquals(2, groups.size(), rules.toString());
            assertEquals("tally:claude-code.rules.yml", groups.get(0).getAsJsonObject().get("file").getAsString());
            assertTrue(rules.toString().contains("ClaudeCodeHighCost"));
            assertTrue(rules.toString().contains("claude_code:cache_efficiency:ratio5m"));
        }
        try (TestServer s = new TestServer(c -> c.claudeCodeRules = false)) {
            assertEquals(0, new PromApi(s.webUrl("")).get("/api/v1/rules").data().getAsJsonObject().getAsJsonArray("groups").size());
        }
        try (TestServer s = serve(config(RULES, false))) {
            String body = new PromApi(s.webUrl("")).get("/api/v1/rules").body();
            assertFalse(body.contains("ClaudeCodeHighCost"), "a configuration with rule_files replaces the defaults");
        }
    }

    private static HttpResponse<String> post(TestServer s, String path) throws Exception {
        return s.client.send(HttpRequest.newBuilder(URI.create(s.webUrl(path))).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
