package tally.server.e2e;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tally.server.grafana.GrafanaVariables;
import tally.server.grafana.TemplateVariable;
import tally.server.testing.ClaudeCodePayloads;
import tally.server.testing.PromApi;
import tally.server.testing.TestServer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every expression of the 11 community Claude Code dashboards (reference/dashboards/queries.json, the
 * structured form of queries.txt), with Grafana's variables substituted, runs without error as a range
 * and as an instant query against Tally holding the recorded Claude Code payloads.
 */
class DashboardCorpusTest {
    private static final Path CORPUS = Path.of(System.getProperty("tally.reference.dir", findReference())).resolve("dashboards");
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)\\s*$", Pattern.DOTALL);
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)");

    @Test
    void everyCommunityDashboardExpressionEvaluates() throws Exception {
        Path json = CORPUS.resolve("queries.json");
        Assumptions.assumeTrue(Files.exists(json), "skipped: no ../shared/reference/dashboards (set -Dtally.reference.dir)");
        JsonArray corpus = JsonParser.parseString(Files.readString(json, StandardCharsets.UTF_8)).getAsJsonArray();
        assertEquals(countTxtExpressions(), corpus.size(), "queries.json and queries.txt hold the same expressions");

        try (TestServer s = new TestServer()) {
            PromApi otlp = new PromApi(s.otlpUrl(""));
            long maxMs = 0;
            for (String capture : ClaudeCodePayloads.CAPTURES) {
                List<ClaudeCodePayloads.Payload> payloads = ClaudeCodePayloads.load(capture);
                for (ClaudeCodePayloads.Payload p : payloads) {
                    assertEquals(200, otlp.post("/v1/metrics", p.contentType(), p.contentEncoding(), p.wire()).status(), p.name());
                }
                maxMs = Math.max(maxMs, ClaudeCodePayloads.timeSpan(ClaudeCodePayloads.series(payloads))[1]);
            }
            PromApi api = new PromApi(s.webUrl(""));
            double end = (Math.floorDiv(maxMs, 3_600_000L) + 2) * 3600.0, start = end - 86_400;
            Map<String, Map<String, TemplateVariable>> variablesBySource = new HashMap<>();
            List<String> failures = new ArrayList<>();
            int evaluated = 0;
            for (JsonElement e : corpus) {
                JsonObject q = e.getAsJsonObject();
                String source = q.get("source").getAsString();
                Map<String, TemplateVariable> vars = variablesBySource.computeIfAbsent(source, DashboardCorpusTest::variables);
                String expr = GrafanaVariables.DEFAULTS.substitute(q.get("expr").getAsString(), allOn(q.get("expr").getAsString(), vars));
                Matcher lv = LABEL_VALUES.matcher(expr);
                List<String> problems = new ArrayList<>();
                if (lv.matches()) {
                    // a template variable: Grafana asks the label values API; its selector must also evaluate
                    expr = lv.group(1).trim();
                    check(problems, "label values", api.labelValues(lv.group(2), expr, start, end));
                }
                check(problems, "range", api.queryRange(expr, start, end, 60));
                check(problems, "instant", api.query(expr, end + 0.25));
                evaluated++;
                if (!problems.isEmpty()) failures.add(source + " | " + q.get("panel").getAsString() + ": " + expr + "\n    " + String.join("\n    ", problems));
            }
            System.out.println("DashboardCorpusTest: " + evaluated + " expressions, " + (evaluated - failures.size())
                    + " evaluate as range and instant");
            if (!failures.isEmpty()) fail(failures.size() + " of " + evaluated + " expressions failed:\n" + String.join("\n", failures));
            assertTrue(evaluated >= 300, "expressions: " + evaluated);
        }
    }

    private static void check(List<String> problems, String what, PromApi.Reply r) {
        if (!r.success()) problems.add(what + " -> " + r.status() + " " + r.body());
    }

    /**
     * The source dashboard's variables: query variables on All ({@code .*} or their allValue), textbox
     * and constant variables on their saved value (e.g. {@code $price_in} = 3).
     */
    private static Map<String, TemplateVariable> variables(String source) {
        Map<String, TemplateVariable> out = new HashMap<>();
        Path file = CORPUS.resolve(source);
        JsonObject dashboard;
        try {
            dashboard = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (Exception notJson) {
            return out; // YAML rule files and templated JSON: every variable is taken as All
        }
        JsonObject templating = dashboard.has("templating") ? dashboard.getAsJsonObject("templating") : new JsonObject();
        for (JsonElement e : templating.has("list") ? templating.getAsJsonArray("list") : new JsonArray()) {
            JsonObject v = e.getAsJsonObject();
            String name = v.get("name").getAsString();
            String type = v.has("type") ? v.get("type").getAsString() : "query";
            if ((type.equals("textbox") || type.equals("constant")) && v.has("query") && v.get("query").isJsonPrimitive()) {
                out.put(name, new TemplateVariable(name, "", false, false, v.get("query").getAsString()));
            } else if (v.has("allValue") && v.get("allValue").isJsonPrimitive() && !v.get("allValue").getAsString().isEmpty()) {
                out.put(name, new TemplateVariable(name, "", true, true, v.get("allValue").getAsString()));
            }
        }
        return out;
    }

    /** The dashboard's variables plus every other {@code $name} in {@code expr} on All ({@code .*}). */
    private static Map<String, TemplateVariable> allOn(String expr, Map<String, TemplateVariable> known) {
        Map<String, TemplateVariable> out = new HashMap<>(known);
        Matcher m = VARIABLE.matcher(expr);
        while (m.find()) {
            String name = m.group(1);
            if (!name.startsWith("__") && !name.matches("\\d+")) out.putIfAbsent(name, new TemplateVariable(name, "", true, true, ".*"));
        }
        return out;
    }

    private static int countTxtExpressions() throws Exception {
        int n = 0;
        List<String> lines = Files.readAllLines(CORPUS.resolve("queries.txt"), StandardCharsets.UTF_8);
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).startsWith("# ") && lines.get(i).contains(" | ") && !lines.get(i + 1).isBlank() && !lines.get(i + 1).startsWith("#")) n++;
        }
        return n;
    }

    /** ../shared/reference above the working directory (tests run in server/). */
    private static String findReference() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("reference");
            if (Files.isDirectory(candidate)) return candidate.toString();
            Path sibling = dir.resolveSibling("shared").resolve("reference");
            if (Files.isDirectory(sibling)) return sibling.toString();
        }
        return "../shared/reference";
    }
}
