package tally.server.e2e;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tally.server.grafana.DashboardQueries;
import tally.server.grafana.GrafanaVariables;
import tally.server.testing.ClaudeCodePayloads;
import tally.server.testing.PromApi;
import tally.server.testing.ReferencePromql;
import tally.server.testing.TallyProcess;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Tally as a separate process, fed the recorded Claude Code exports over HTTP in every encoding, then
 * queried exactly as Grafana queries our dashboards; key panels are checked against values computed
 * from the payloads alone. Finally the process is killed with SIGKILL and restarted: nothing is lost.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndTest {
    private static final long RANGE_S = 86_400;
    private static final Pattern SELECTOR = Pattern.compile("\\b(claude_code_\\w+|tally_\\w+|jvm_\\w+|process_\\w+)(?:\\{([^}]*)})?");
    private static final Pattern EQUALITY = Pattern.compile("(\\w+)\\s*=\\s*\"([^\"]*)\"");

    @TempDir
    static Path tmp;
    private static TallyProcess tally;
    private static PromApi api;
    private static Map<Map<String, String>, NavigableMap<Long, Double>> expected;
    /** Dashboard end (aligned to every step used), start 24 h earlier, and Grafana's unaligned instant time. */
    private static double end, start, instantTime;

    @BeforeAll
    static void startAndIngest() throws Exception {
        tally = TallyProcess.start(tmp.resolve("data"));
        api = new PromApi("http://127.0.0.1:" + tally.webPort);
        PromApi otlp = new PromApi("http://127.0.0.1:" + tally.otlpPort);
        List<ClaudeCodePayloads.Payload> all = new ArrayList<>();
        for (String capture : ClaudeCodePayloads.CAPTURES) {
            // JSON goes to the web port's OTLP path, the rest to the OTLP port: both receivers are covered
            boolean web = capture.startsWith("json");
            for (ClaudeCodePayloads.Payload p : ClaudeCodePayloads.load(capture)) {
                PromApi.Reply r = (web ? api : otlp).post(web ? "/api/v1/otlp/v1/metrics" : "/v1/metrics",
                        p.contentType(), p.contentEncoding(), p.wire());
                assertEquals(200, r.status(), p.name() + ": " + r.body());
                all.add(p);
            }
        }
        expected = ClaudeCodePayloads.series(all);
        long[] span = ClaudeCodePayloads.timeSpan(expected);
        end = (Math.floorDiv(span[1], 3_600_000L) + 2) * 3600.0;
        start = end - RANGE_S;
        instantTime = end + 0.25;
        assertTrue(span[0] / 1000.0 > start, "payloads inside the dashboard range");
    }

    @AfterAll
    static void stop() throws Exception {
        if (tally != null) tally.close();
    }

    @Test
    @Order(1)
    void grafanaSaveAndTest() throws Exception {
        PromApi.Reply r = api.postForm("/api/v1/query", "query", "1+1", "time", "4");
        assertEquals(200, r.status());
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[4,\"2\"]}}", r.body());
        PromApi.Reply build = api.get("/api/v1/status/buildinfo");
        assertTrue(build.success(), build.body());
        JsonObject data = build.data().getAsJsonObject();
        assertTrue(data.get("version").getAsString().matches("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?"), build.body());
        assertTrue(!data.has("features") || data.getAsJsonObject("features").size() == 0, "no features map (Mimir heuristics)");
    }

    /** Every query of every dashboard: 200 + success, and data wherever the payloads hold its metrics. */
    @Test
    @Order(2)
    void everyDashboardQueryAnswersAsGrafanaExpects() throws Exception {
        List<String> failures = new ArrayList<>();
        int checked = 0, nonEmptyVariables = 0;
        for (DashboardQueries.Query q : grafanaQueries()) {
            PromApi.Reply r = send(q);
            checked++;
            String what = q.dashboard() + " / " + q.panelTitle() + " / " + q.refId() + ": " + q.expr();
            if (!r.success()) {
                failures.add(what + " -> " + r.status() + " " + r.body());
                continue;
            }
            if (q.kind() == DashboardQueries.Kind.LABEL_VALUES) {
                Set<String> got = new TreeSet<>();
                r.data().getAsJsonArray().forEach(e -> got.add(e.getAsString()));
                Set<String> want = labelValues(q.expr(), q.refId());
                if (!got.isEmpty()) nonEmptyVariables++;
                if (!want.equals(got)) failures.add(what + " -> values " + got + ", expected " + want);
                continue;
            }
            JsonObject data = r.data().getAsJsonObject();
            String type = data.get("resultType").getAsString();
            assertEquals(q.kind() == DashboardQueries.Kind.RANGE ? "matrix" : "vector", type, what);
            if (metricsPresent(q.expr()) && data.getAsJsonArray("result").size() == 0) failures.add(what + " -> empty result");
        }
        assertTrue(checked > 50, "dashboard queries found: " + checked);
        // the captures carry model and session_id but no organization_id or user_email (API-key login)
        assertTrue(nonEmptyVariables >= 2, "template variables with values: " + nonEmptyVariables);
        if (!failures.isEmpty()) fail(failures.size() + " of " + checked + " queries:\n" + String.join("\n", failures));
    }

    @Test
    @Order(3)
    void keyPanelsShowThePayloadTotals() throws Exception {
        assertKeyPanels();
    }

    @Test
    @Order(4)
    void killAndRestartKeepsEverything() throws Exception {
        Map<String, String> before = new TreeMap<>();
        for (DashboardQueries.Query q : grafanaQueries()) before.put(q.panelTitle() + "/" + q.refId() + "/" + q.kind(), send(q).body());
        tally.killHard();
        tally.restart();
        for (DashboardQueries.Query q : grafanaQueries()) {
            String key = q.panelTitle() + "/" + q.refId() + "/" + q.kind();
            // self-monitoring metrics are not stored (not scraped), so every answer must be identical
            assertEquals(before.get(key), send(q).body(), key + " after kill -9 and restart");
        }
        assertKeyPanels();
    }

    private static void assertKeyPanels() throws Exception {
        long t = Math.round(instantTime * 1000);
        long range = RANGE_S * 1000;
        Predicate<Map<String, String>> any = l -> true;
        checkPanel("Tokens by type in range", increaseBy("claude_code_token_usage_tokens_total", "type", any, t, range));
        checkPanel("Tokens by model in range", increaseBy("claude_code_token_usage_tokens_total", "model", any, t, range));
        checkPanel("Tokens", increaseBy("claude_code_token_usage_tokens_total", null, any, t, range));
        checkPanel("Cost by model", increaseBy("claude_code_cost_usage_USD_total", "model", any, t, range));
        checkPanel("Cost", increaseBy("claude_code_cost_usage_USD_total", null, any, t, range));
        checkPanel("Active time", increaseBy("claude_code_active_time_seconds_total", null, any, t, range));
        checkPanel("Sessions started", lastSum("claude_code_session_count_total", any, t, range));
        checkPanel("Lines added", lastSum("claude_code_lines_of_code_count_total", l -> "added".equals(l.get("type")), t, range));
        checkPanel("Lines removed", lastSum("claude_code_lines_of_code_count_total", l -> "removed".equals(l.get("type")), t, range));
        checkPanel("Commits", lastSum("claude_code_commit_count_total", any, t, range));
        // time series panels: sum by (x) (rate(m[$__rate_interval])) * 60 at every 60 s step
        checkRatePanel("Tokens by type", "claude_code_token_usage_tokens_total", "type", 60);
        checkRatePanel("Tokens by model", "claude_code_token_usage_tokens_total", "model", 60);
        checkRatePanel("Cost rate by model", "claude_code_cost_usage_USD_total", "model", 3600);
        checkRatePanel("Active time", "claude_code_active_time_seconds_total", "type", 60);
    }

    private static void checkRatePanel(String title, String metric, String label, double factor) throws Exception {
        DashboardQueries.Query q = grafanaQueries().stream()
                .filter(x -> x.panelTitle().equals(title) && x.kind() == DashboardQueries.Kind.RANGE).findFirst().orElseThrow();
        assertTrue(q.expr().contains("[4m0s]"), q.expr());
        long rateMs = 240_000;
        Map<Map<String, String>, Map<Long, Double>> want = new HashMap<>();
        for (long stepMs = (long) start * 1000; stepMs <= (long) end * 1000; stepMs += 60_000) {
            final long at = stepMs;
            increaseBy(metric, label, l -> true, at, rateMs).forEach((labels, inc) ->
                    want.computeIfAbsent(labels, k -> new TreeMap<>()).put(at, inc / (rateMs / 1000.0) * factor));
        }
        assertFalse(want.isEmpty(), title);
        PromApi.Reply r = send(q);
        assertTrue(r.success(), title + ": " + r.body());
        Map<Map<String, String>, Map<Long, Double>> got = new HashMap<>();
        for (JsonElement e : r.data().getAsJsonObject().getAsJsonArray("result")) {
            JsonObject s = e.getAsJsonObject();
            Map<String, String> labels = new TreeMap<>();
            s.getAsJsonObject("metric").entrySet().forEach(kv -> labels.put(kv.getKey(), kv.getValue().getAsString()));
            Map<Long, Double> points = new TreeMap<>();
            for (JsonElement p : s.getAsJsonArray("values")) {
                JsonArray pair = p.getAsJsonArray();
                points.put(Math.round(pair.get(0).getAsDouble() * 1000), Double.parseDouble(pair.get(1).getAsString()));
            }
            got.put(labels, points);
        }
        assertEquals(want.keySet(), got.keySet(), title + " series");
        want.forEach((labels, points) -> {
            assertEquals(points.keySet(), got.get(labels).keySet(), title + " " + labels + " steps");
            points.forEach((at, v) -> assertEquals(v, got.get(labels).get(at), Math.abs(v) * 1e-9, title + " " + labels + " at " + at));
        });
    }

    private static void checkPanel(String title, Map<Map<String, String>, Double> want) throws Exception {
        DashboardQueries.Query q = grafanaQueries().stream()
                .filter(x -> x.panelTitle().equals(title) && x.kind() == DashboardQueries.Kind.INSTANT).findFirst().orElseThrow();
        assertFalse(want.isEmpty(), title + ": the payloads hold data for it");
        PromApi.Reply r = send(q);
        assertTrue(r.success(), title + ": " + r.body());
        Map<Map<String, String>, Double> got = r.vector();
        assertEquals(want.keySet(), got.keySet(), title + " series");
        want.forEach((labels, v) -> assertEquals(v, got.get(labels), Math.abs(v) * 1e-9, title + " " + labels));
    }

    /** {@code sum by (label) (increase(metric[range]))}, or {@code sum(...)} when label is null. */
    private static Map<Map<String, String>, Double> increaseBy(String metric, String label, Predicate<Map<String, String>> filter,
                                                               long t, long range) {
        Map<Map<String, String>, Double> out = new HashMap<>();
        expected.forEach((labels, samples) -> {
            if (!metric.equals(labels.get("__name__")) || !filter.test(labels)) return;
            double inc = ReferencePromql.increase(samples, t, range);
            if (Double.isNaN(inc)) return;
            Map<String, String> group = label == null || !labels.containsKey(label) ? Map.of() : Map.of(label, labels.get(label));
            out.merge(group, inc, Double::sum);
        });
        return out;
    }

    /** The dashboards' "total in range" idiom: with all data inside the range, the sum of the latest totals. */
    private static Map<Map<String, String>, Double> lastSum(String metric, Predicate<Map<String, String>> filter, long t, long range) {
        double sum = 0;
        boolean any = false;
        for (Map.Entry<Map<String, String>, NavigableMap<Long, Double>> e : expected.entrySet()) {
            if (!metric.equals(e.getKey().get("__name__")) || !filter.test(e.getKey())) continue;
            double last = ReferencePromql.lastOverTime(e.getValue(), t, range);
            if (!Double.isNaN(last)) {
                sum += last;
                any = true;
            }
        }
        return any ? Map.of(Map.of(), sum) : Map.of();
    }

    /** Values of {@code label} among the payload series named like the selector (whose matchers are all {@code =~".*"}). */
    private static Set<String> labelValues(String selector, String label) {
        String metric = selector.replaceAll("[{\\s].*", "");
        Set<String> out = new TreeSet<>();
        expected.keySet().forEach(l -> {
            if (metric.equals(l.get("__name__")) && l.containsKey(label)) out.add(l.get(label));
        });
        return out;
    }

    /**
     * Whether every selector of {@code expr} matches a payload series by name and equality matchers
     * (a ratio whose denominator has no data, such as {@code type="user"} active time, is rightly empty).
     */
    private static boolean metricsPresent(String expr) {
        Matcher m = SELECTOR.matcher(expr);
        boolean any = false;
        while (m.find()) {
            any = true;
            Map<String, String> wanted = new HashMap<>();
            wanted.put("__name__", m.group(1));
            if (m.group(2) != null) {
                Matcher eq = EQUALITY.matcher(m.group(2));
                while (eq.find()) wanted.put(eq.group(1), eq.group(2));
            }
            if (expected.keySet().stream().noneMatch(l -> l.entrySet().containsAll(wanted.entrySet()))) return false;
        }
        return any;
    }

    private static PromApi.Reply send(DashboardQueries.Query q) throws Exception {
        switch (q.kind()) {
            case LABEL_VALUES:
                return api.labelValues(q.refId(), q.expr(), start, end);
            case INSTANT:
                return api.query(q.expr(), instantTime);
            default:
                double step = q.minStep().isEmpty() ? 60 : seconds(q.minStep());
                // Grafana aligns start and end down to a multiple of the step
                return api.queryRange(q.expr(), Math.floor(start / step) * step, Math.floor(end / step) * step, step);
        }
    }

    /**
     * The dashboards' queries as Grafana sends them for a 24 h range: $__interval and $__rate_interval
     * follow each panel's step (60 s, or its minimum interval when larger).
     */
    private static List<DashboardQueries.Query> grafanaQueries() {
        List<DashboardQueries.Query> byDefault = DashboardQueries.all();
        List<DashboardQueries.Query> out = new ArrayList<>();
        Map<Long, List<DashboardQueries.Query>> byStep = new HashMap<>();
        for (int i = 0; i < byDefault.size(); i++) {
            DashboardQueries.Query q = byDefault.get(i);
            long step = q.minStep().isEmpty() ? 60 : seconds(q.minStep());
            if (step == 60) {
                out.add(q);
                continue;
            }
            List<DashboardQueries.Query> stepped = byStep.computeIfAbsent(step, s -> DashboardQueries.all(DashboardQueries.dashboardsDir(),
                    new GrafanaVariables(RANGE_S, s, 60, Map.of())));
            out.add(stepped.get(i));
        }
        return out;
    }

    private static long seconds(String grafanaDuration) {
        Matcher m = Pattern.compile("(\\d+)([smhd])").matcher(grafanaDuration);
        if (!m.matches()) throw new IllegalArgumentException(grafanaDuration);
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "s": return n;
            case "m": return n * 60;
            case "h": return n * 3600;
            default: return n * 86_400;
        }
    }
}
