package tally.server.e2e;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.server.grafana.DashboardQueries;
import tally.server.testing.PrometheusProcess;
import tally.server.testing.PromApi;
import tally.server.testing.RemoteWriteEncoder;
import tally.server.testing.ResultDiff;
import tally.server.testing.SideBySideData;
import tally.server.testing.SideBySideQueries;
import tally.server.testing.TestServer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The same remote-write bytes into Debian's Prometheus (2.42) and Tally, then the same queries to
 * both, answers compared structurally and numerically. Prometheus 2.42 differs from the 3.x semantics
 * Tally implements in known ways (DESIGN.md section 6); they are kept out by construction of the data
 * (see {@link SideBySideData}), of the instants (whole seconds ≡ 5 mod 10, so subquery grids on whole
 * multiples of 10 s never touch a window boundary) and by the query-class predicate {@link #DIFFERS_IN_3X}.
 */
class PrometheusSideBySideTest {
    private static final long SEED = 42;
    /** Comparisons where Prometheus returned data (not an empty vector or matrix): the test compares something. */
    private static int nonEmptyAnswers;

    /**
     * Query classes whose 2.x and 3.x answers legitimately differ on this data, excluded by rule.
     * rate/increase over a subquery of an aggregation: a sum of counters jumps when series start and
     * drops when they end, so its first value in a window can be close to one interval's increase, where
     * the extrapolation order changed in 2.51 (threshold before the zero clamp). Checked by hand on
     * rate(sum(tokens)[10m:30s]): Prometheus 2.42 equals the old order, Tally the new one, to all digits.
     */
    private static final Pattern COUNTER_FUNCTION_OVER_AGGREGATED_SUBQUERY =
            Pattern.compile("\\b(rate|increase)\\(\\s*(sum|avg|min|max|count)\\b[^\\[]*\\[[^\\]]*:");
    private static final Predicate<String> DIFFERS_IN_3X = q -> COUNTER_FUNCTION_OVER_AGGREGATED_SUBQUERY.matcher(q).find();

    @Test
    void tallyAnswersLikePrometheus(@TempDir Path dir) throws Exception {
        String binary = PrometheusProcess.onPath("prometheus");
        Assumptions.assumeTrue(binary != null, "skipped: prometheus is not on PATH (apt-get install prometheus)");
        long nowS = System.currentTimeMillis() / 1000 / 60 * 60;
        long startS = nowS - 55 * 60; // 50 minutes of data: inside Prometheus's 1 h head append window
        SideBySideData data = new SideBySideData(SEED, startS * 1000, 50 * 60_000L);
        byte[] body = RemoteWriteEncoder.encode(data.series);

        // Tally's built-in Claude Code rules off: this Prometheus has no rules, and whether a rule evaluation falls
        // inside the test (recorded claude_code:* series on one side only) depended on the clock
        try (PrometheusProcess prom = PrometheusProcess.start(binary, dir); TestServer tally = new TestServer(c -> c.claudeCodeRules = false)) {
            PromApi p = new PromApi(prom.url()), t = new PromApi(tally.webUrl(""));
            for (PromApi api : List.of(p, t)) {
                PromApi.Reply r = api.post("/api/v1/write", "application/x-protobuf", "snappy", body);
                assertTrue(r.status() == 204 || r.status() == 200, api + " write: " + r.status() + " " + r.body());
            }
            long endS = startS + 50 * 60;
            List<Long> instants = new ArrayList<>();
            for (long s = startS + 5; s <= endS + 425; s += 370) instants.add(s);
            instants.add(endS + 125); // inside the lookback after the last samples
            instants.add(endS + 425); // past it: everything gone
            List<String> queries = new ArrayList<>(SideBySideQueries.all(startS + 1505));
            for (DashboardQueries.Query q : DashboardQueries.all()) {
                if (q.kind() != DashboardQueries.Kind.LABEL_VALUES) queries.add(q.expr());
            }
            List<String> failures = new ArrayList<>();
            int compared = 0, excluded = 0;
            for (String q : queries) {
                if (DIFFERS_IN_3X.test(q)) {
                    excluded++;
                    continue;
                }
                for (long at : instants) {
                    compare(failures, q + " @ " + at, p.query(q, at), t.query(q, at));
                }
                compare(failures, q + " range", p.queryRange(q, startS + 5, endS + 425, 60), t.queryRange(q, startS + 5, endS + 425, 60));
                compare(failures, q + " range 30s", p.queryRange(q, startS + 1205, startS + 2405, 30), t.queryRange(q, startS + 1205, startS + 2405, 30));
                compared++;
            }
            String window = "start=" + (startS - 60) + "&end=" + (endS + 600);
            for (String path : List.of("/api/v1/labels?" + window, "/api/v1/label/__name__/values?" + window,
                    "/api/v1/label/model/values?" + window, "/api/v1/label/queue/values?match[]=queue_depth&" + window,
                    "/api/v1/series?match[]=claude_code_token_usage_tokens_total&" + window,
                    "/api/v1/series?match[]=" + java.net.URLEncoder.encode("{__name__=~\"queue.*|node.*\",instance!=\"host1\"}", "UTF-8") + "&" + window,
                    "/api/v1/labels?match[]=queue_depth&" + window)) {
                compare(failures, path, p.get(path), t.get(path));
            }
            System.out.println("PrometheusSideBySideTest: " + compared + " queries compared at " + instants.size()
                    + " instants and 2 ranges (" + nonEmptyAnswers + " non-empty answers), " + excluded + " excluded by rule, "
                    + failures.size() + " differences");
            if (!failures.isEmpty()) {
                fail(failures.size() + " differences (Prometheus 2.42 vs Tally):\n" + String.join("\n", failures.subList(0, Math.min(60, failures.size()))));
            }
            assertTrue(compared >= 250, "queries compared: " + compared);
            assertTrue(nonEmptyAnswers > compared * 8, "most comparisons hold data: " + nonEmptyAnswers);
        }
    }

    private static void compare(List<String> failures, String what, PromApi.Reply prom, PromApi.Reply tally) {
        if (prom.status() != tally.status()) {
            failures.add(what + ": HTTP " + prom.status() + " vs " + tally.status() + " " + abbrev(prom.body()) + " | " + abbrev(tally.body()));
            return;
        }
        if (prom.status() != 200) return; // both refuse it (error texts differ between implementations)
        List<String> d = ResultDiff.diff(withoutAnnotations(prom.json()), withoutAnnotations(tally.json()));
        if (!d.isEmpty()) failures.add(what + ": " + String.join("; ", d.subList(0, Math.min(3, d.size()))));
        com.google.gson.JsonElement data = prom.json().getAsJsonObject().get("data");
        boolean nonEmpty = !data.isJsonObject() || !data.getAsJsonObject().get("result").isJsonArray()
                || data.getAsJsonObject().getAsJsonArray("result").size() > 0;
        if (nonEmpty) nonEmptyAnswers++;
    }

    /**
     * 3.x added many annotations that 2.42 never emits (e.g. "sort is ineffective for range queries"),
     * so warnings and infos are not compared; Grafana only shows them as notices.
     */
    private static com.google.gson.JsonElement withoutAnnotations(com.google.gson.JsonElement e) {
        com.google.gson.JsonObject o = e.deepCopy().getAsJsonObject();
        o.remove("warnings");
        o.remove("infos");
        return o;
    }

    private static String abbrev(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
