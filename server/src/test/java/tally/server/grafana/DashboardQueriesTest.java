package tally.server.grafana;

import tally.server.testing.ExternalTool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.promql.parser.PromQLParser;

class DashboardQueriesTest {
    /** The Prometheus names of Claude Code's metrics (OTLP translation with suffixes). */
    /** Claude Code's metrics as Prometheus translates them, and the series Tally derives from its events. */
    private static final Set<String> CLAUDE_METRICS = claudeMetrics();

    private static Set<String> claudeMetrics() {
        Set<String> names = new java.util.HashSet<>(Set.of("claude_code_session_count_total",
                "claude_code_token_usage_tokens_total", "claude_code_cost_usage_USD_total",
                "claude_code_lines_of_code_count_total", "claude_code_commit_count_total",
                "claude_code_pull_request_count_total", "claude_code_code_edit_tool_decision_total",
                "claude_code_active_time_seconds_total",
                "claude_code_api_requests_total", "claude_code_api_errors_total", "claude_code_api_retries_exhausted_total",
                "claude_code_tool_calls_total", "claude_code_tool_decisions_total", "claude_code_user_prompts_total"));
        for (String histogram : List.of("claude_code_api_request_duration_seconds", "claude_code_api_time_to_first_token_seconds",
                "claude_code_tool_duration_seconds", "claude_code_prompt_length_chars", "claude_code_subagent_duration_seconds")) {
            for (String suffix : List.of("_bucket", "_sum", "_count")) names.add(histogram + suffix);
        }
        return names;
    }
    private static final Pattern VARIABLE_REF = Pattern.compile("\\$\\{?(\\w+)");

    private final Path dir = DashboardQueries.dashboardsDir();

    private List<JsonObject> dashboards() {
        List<JsonObject> out = new ArrayList<>();
        for (Path file : DashboardQueries.dashboardFiles(dir)) {
            out.add(DashboardQueries.read(file));
        }
        return out;
    }

    @Test
    void bothDashboardsArePresent() {
        List<String> titles = new ArrayList<>();
        for (JsonObject d : dashboards()) {
            titles.add(d.get("title").getAsString());
        }
        assertEquals(List.of("Claude Code usage", "Tally self-monitoring"), titles);
    }

    @Test
    void dashboardsAreWellFormed() {
        Set<String> uids = new HashSet<>();
        for (JsonObject d : dashboards()) {
            String title = d.get("title").getAsString();
            assertTrue(uids.add(d.get("uid").getAsString()), "duplicate uid in " + title);
            int schema = d.get("schemaVersion").getAsInt();
            assertTrue(schema >= 36 && schema <= 41, title + ": schemaVersion " + schema);
            assertFalse(d.has("id") && !d.get("id").isJsonNull(), title + ": provisioned dashboards carry no numeric id");
            Set<Integer> ids = new HashSet<>();
            List<int[]> boxes = new ArrayList<>();
            for (JsonObject panel : DashboardQueries.panels(d)) {
                String where = title + " / " + panel.get("title").getAsString();
                assertTrue(ids.add(panel.get("id").getAsInt()), where + ": duplicate panel id");
                JsonObject grid = panel.getAsJsonObject("gridPos");
                int[] box = {grid.get("x").getAsInt(), grid.get("y").getAsInt(), grid.get("w").getAsInt(), grid.get("h").getAsInt()};
                assertTrue(box[0] >= 0 && box[0] + box[2] <= 24 && box[3] > 0, where + ": outside the 24-column grid");
                for (int[] other : boxes) {
                    boolean overlap = box[0] < other[0] + other[2] && other[0] < box[0] + box[2]
                            && box[1] < other[1] + other[3] && other[1] < box[1] + box[3];
                    assertFalse(overlap, where + ": overlaps another panel");
                }
                boxes.add(box);
                if (panel.get("type").getAsString().equals("row")) {
                    continue;
                }
                assertEquals("tally", panel.getAsJsonObject("datasource").get("uid").getAsString(), where);
                assertTrue(panel.getAsJsonArray("targets").size() > 0, where + ": no targets");
                Set<String> refIds = new HashSet<>();
                for (JsonElement t : panel.getAsJsonArray("targets")) {
                    JsonObject target = t.getAsJsonObject();
                    assertEquals("tally", target.getAsJsonObject("datasource").get("uid").getAsString(), where);
                    assertFalse(target.get("expr").getAsString().isBlank(), where + ": empty expr");
                    assertTrue(refIds.add(target.get("refId").getAsString()), where + ": duplicate refId");
                }
            }
        }
    }

    @Test
    void templateVariablesAreMultiValueLabelValuesWithAll() {
        for (JsonObject d : dashboards()) {
            for (JsonElement e : d.getAsJsonObject("templating").getAsJsonArray("list")) {
                JsonObject v = e.getAsJsonObject();
                String name = v.get("name").getAsString();
                assertEquals("tally", v.getAsJsonObject("datasource").get("uid").getAsString(), name);
                assertTrue(v.get("query").getAsString().startsWith("label_values("), name);
                assertTrue(v.get("multi").getAsBoolean() && v.get("includeAll").getAsBoolean(), name);
                // .* (not .+) so that All also matches series without the label, e.g. API-key sessions without user_email
                assertEquals(".*", v.get("allValue").getAsString(), name);
                assertEquals(2, v.get("refresh").getAsInt(), name + ": refresh on time range change");
            }
        }
    }

    @Test
    void everyVariableUsedIsDefinedOrBuiltIn() {
        for (JsonObject d : dashboards()) {
            Map<String, TemplateVariable> vars = DashboardQueries.templateVariables(d);
            for (DashboardQueries.Query q : DashboardQueries.of(d, GrafanaVariables.DEFAULTS)) {
                Matcher m = VARIABLE_REF.matcher(q.rawExpr());
                while (m.find()) {
                    String name = m.group(1);
                    boolean ok = vars.containsKey(name) || GrafanaVariables.DEFAULTS.builtin(name) != null || name.matches("\\d+");
                    assertTrue(ok, q.panelTitle() + ": unknown variable $" + name);
                }
            }
        }
    }

    @Test
    void queryListCoversEveryTargetAndVariable() {
        List<DashboardQueries.Query> all = DashboardQueries.all();
        int targets = 0, variables = 0;
        for (JsonObject d : dashboards()) {
            variables += DashboardQueries.templateVariables(d).size();
            for (JsonObject panel : DashboardQueries.panels(d)) {
                targets += panel.has("targets") ? panel.getAsJsonArray("targets").size() : 0;
            }
        }
        long labelValues = all.stream().filter(q -> q.kind() == DashboardQueries.Kind.LABEL_VALUES).count();
        assertEquals(variables, labelValues);
        assertEquals(targets, all.size() - labelValues);
        assertTrue(all.stream().anyMatch(q -> q.kind() == DashboardQueries.Kind.INSTANT));
        assertTrue(all.stream().anyMatch(q -> q.kind() == DashboardQueries.Kind.RANGE));
        assertTrue(all.stream().anyMatch(q -> q.minStep().equals("1h")), "the hour-of-day panel asks for 1h steps");
    }

    @Test
    void substitutedQueriesContainNoGrafanaVariables() {
        for (DashboardQueries.Query q : DashboardQueries.all()) {
            Matcher m = VARIABLE_REF.matcher(q.expr());
            while (m.find()) {
                assertTrue(m.group(1).matches("\\d+"), q.panelTitle() + ": left unsubstituted: " + q.expr());
            }
        }
    }

    @Test
    void onlyClaudeCodeMetricNamesAsPrometheusTranslatesThem() {
        Pattern name = Pattern.compile("\\bclaude_code_\\w+");
        int seen = 0;
        for (DashboardQueries.Query q : DashboardQueries.all()) {
            Matcher m = name.matcher(q.expr());
            while (m.find()) {
                assertTrue(CLAUDE_METRICS.contains(m.group()), q.panelTitle() + ": unknown metric " + m.group());
                seen++;
            }
        }
        assertTrue(seen > 50);
    }

    @Test
    void substitutesLikeGrafana() {
        JsonObject d = DashboardQueries.read(dir.resolve("claude-code-usage.json"));
        Map<String, TemplateVariable> vars = DashboardQueries.templateVariables(d);
        GrafanaVariables g = GrafanaVariables.DEFAULTS;
        assertEquals("rate(x[4m0s]) [86400s] 1m 60000", g.substitute("rate(x[$__rate_interval]) [$__range] $__interval $__interval_ms", vars));
        assertEquals("{model=~\".*\"}", g.substitute("{model=~\"$model\"}", vars), "All is the allValue");
        GrafanaVariables two = g.withSelections(Map.of("model", List.of("claude-opus-4-1", "claude-sonnet-4.5"), "user", List.of("a+b@x.io")));
        assertEquals("{model=~\"(claude-opus-4-1|claude-sonnet-4\\\\.5)\", user_email=~\"a\\\\+b@x\\\\.io\"}",
                two.substitute("{model=~\"${model}\", user_email=~\"[[user]]\"}", vars));
        assertEquals("label_replace(v, \"h\", \"0$1\", \"h\", \"([0-9])\")",
                g.substitute("label_replace(v, \"h\", \"0$1\", \"h\", \"([0-9])\")", vars), "$1 is not a variable");
        // 6 h range in a narrow panel: a 5 min step gives max(5m + 60s, 4m) = 6m0s
        GrafanaVariables wide = new GrafanaVariables(21_600, 300, 60, Map.of());
        assertEquals("[6m0s] [21600s] 5m", wide.substitute("[$__rate_interval] [$__range] $__interval", vars));
        assertEquals("1h0m0s", GrafanaVariables.goDuration(3600));
        assertEquals("1m", GrafanaVariables.grafanaInterval(90));
    }

    @Test
    void everyQueryParsesWithTallysParser() {
        for (DashboardQueries.Query q : DashboardQueries.all()) {
            try {
                PromQLParser.parseExpr(q.expr());
            } catch (RuntimeException e) {
                throw new AssertionError(q.dashboard() + " / " + q.panelTitle() + " " + q.refId() + ": " + q.expr(), e);
            }
        }
    }

    /** Prometheus's own parser, when promtool is installed (Debian's prometheus package ships it). */
    @Test
    void everyQueryParsesWithPromtool(@TempDir Path tmp) throws Exception {
        assumeTrue(ExternalTool.onPath("promtool"), "promtool is not installed");
        StringBuilder rules = new StringBuilder("groups:\n- name: dashboards\n  rules:\n");
        int i = 0;
        for (DashboardQueries.Query q : DashboardQueries.all()) {
            rules.append("  - record: q").append(i++).append("\n    expr: ").append(yamlString(q.expr())).append('\n');
        }
        Path file = tmp.resolve("rules.yml");
        Files.writeString(file, rules, StandardCharsets.UTF_8);
        ExternalTool.Result result = ExternalTool.run(tmp, "promtool", "check", "rules", file.toString());
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("SUCCESS: " + i + " rules found"), result.output());
    }

    private static String yamlString(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c == '\n' ? ' ' : c);
        }
        return out.append('"').toString();
    }
}
