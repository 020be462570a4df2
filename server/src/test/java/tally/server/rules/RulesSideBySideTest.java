package tally.server.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.server.config.Flags;
import tally.server.config.ServerConfig;
import tally.server.testing.PromApi;
import tally.server.testing.PrometheusProcess;
import tally.server.testing.RemoteWriteEncoder;
import tally.server.testing.TestServer;

/**
 * Prometheus 2.42 and Tally load the same rule file (same path, so the same evaluation phase) and receive the same
 * remote-written data, written ahead of time so that both evaluations at a timestamp see the same samples. Recorded
 * series, ALERTS and ALERTS_FOR_STATE must agree at every evaluation timestamp both made.
 */
class RulesSideBySideTest {
    private static final String RULES = """
            groups:
              - name: side-by-side
                interval: 1s
                rules:
                  - record: probe:evaluated
                    expr: vector(1)
                  - record: job:tokens:rate5s
                    expr: sum by (job) (rate(tokens_total[5s]))
                  - record: job:tokens:share
                    expr: job:tokens:rate5s / ignoring(job) group_left sum(job:tokens:rate5s)
                  - alert: Busy
                    expr: job:tokens:rate5s > 8
                    for: 3s
                    labels:
                      severity: warning
                  - alert: AnyTokens
                    expr: job:tokens:rate5s > 0
            """;

    @TempDir
    Path dir;

    @Test
    void recordedSeriesAndAlertsMatchPrometheus() throws Exception {
        String prometheus = PrometheusProcess.onPath("prometheus");
        Assumptions.assumeTrue(prometheus != null, "prometheus is not on PATH (apt-get install -y prometheus): skipping");
        Files.writeString(dir.resolve("rules.yml"), RULES);
        String config = "global:\n  evaluation_interval: 1s\nrule_files:\n  - rules.yml\n";
        Files.writeString(dir.resolve("tally.yml"), config);
        ServerConfig parsed = Flags.parse(List.of("--config.file=" + dir.resolve("tally.yml")));
        try (PrometheusProcess prom = PrometheusProcess.start(prometheus, dir, config);
             TestServer tally = new TestServer(c -> {
                 c.configFile = parsed.configFile;
                 c.rules = parsed.rules;
             })) {
            PromApi promApi = new PromApi(prom.url());
            PromApi tallyApi = new PromApi(tally.webUrl(""));
            // both past their first evaluations (and Prometheus past its for-state restore) before any data exists
            long promTs = awaitEvaluations(promApi, 3);
            long tallyTs = awaitEvaluations(tallyApi, 3);
            assertEquals(Math.floorMod(promTs, 1000), Math.floorMod(tallyTs, 1000),
                    "the same evaluation phase as Prometheus: " + promTs + " vs " + tallyTs);

            // samples half a second away from the evaluation slots: no sample on a window edge (2.x and 3.x differ there)
            long phase = Math.floorMod(tallyTs, 1000);
            long t0 = (System.currentTimeMillis() / 1000 + 2) * 1000 + Math.floorMod(phase + 500, 1000);
            int[] aSteps = {3, 5, 9, 12, 15, 14, 11, 6, 2, 0, 0, 0, 4, 4, 4, 4, 4, 4};
            int[] bSteps = {1, 1, 2, 2, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
            Map<Map<String, String>, NavigableMap<Long, Double>> data = new LinkedHashMap<>();
            data.put(Map.of("__name__", "tokens_total", "job", "a"), counter(t0, aSteps));
            data.put(Map.of("__name__", "tokens_total", "job", "b"), counter(t0, bSteps));
            byte[] body = RemoteWriteEncoder.encode(data);
            assertEquals(204, promApi.post("/api/v1/write", "application/x-protobuf", "snappy", body).status());
            assertEquals(204, tallyApi.post("/api/v1/write", "application/x-protobuf", "snappy", body).status());

            long end = t0 + aSteps.length * 1000L;
            while (System.currentTimeMillis() < end + 2500) Thread.sleep(200);

            String q = "{__name__=~\"job:tokens:.+|ALERTS|ALERTS_FOR_STATE\"}[" + (aSteps.length + 2) + "s]";
            Map<String, NavigableMap<Long, String>> fromProm = matrix(promApi.query(q, end / 1000.0));
            Map<String, NavigableMap<Long, String>> fromTally = matrix(tallyApi.query(q, end / 1000.0));
            assertTrue(fromProm.size() >= 6, "recorded series and both alerts' series: " + fromProm.keySet());
            assertEquals(fromProm.keySet(), fromTally.keySet());
            int compared = 0;
            for (String series : fromProm.keySet()) {
                NavigableMap<Long, String> p = fromProm.get(series).subMap(t0, true, end, true);
                NavigableMap<Long, String> t = fromTally.get(series).subMap(t0, true, end, true);
                assertEquals(p, t, series);
                compared += p.size();
            }
            assertTrue(compared > 40, "samples compared: " + compared);
            assertTrue(fromProm.keySet().stream().anyMatch(s -> s.contains("alertstate=firing") && s.contains("Busy")),
                    "Busy fired: " + fromProm.keySet());
        }
    }

    /** A counter at t0, t0+1s, ... rising by the given steps. */
    private static NavigableMap<Long, Double> counter(long t0, int[] steps) {
        NavigableMap<Long, Double> out = new TreeMap<>();
        double v = 100;
        for (int i = 0; i < steps.length; i++) {
            v += steps[i];
            out.put(t0 + i * 1000L, v);
        }
        return out;
    }

    /**
     * The timestamp of an evaluation after the first {@code n} seconds of {@code probe:evaluated}: the group's
     * evaluation time itself (the last-evaluation metric is the wall clock at its start, which jitters).
     */
    private static long awaitEvaluations(PromApi api, int n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            PromApi.Reply r = api.query("timestamp(probe:evaluated)", System.currentTimeMillis() / 1000.0);
            JsonArray result = r.success() ? r.data().getAsJsonObject().getAsJsonArray("result") : new JsonArray();
            if (result.size() == 1) {
                long ts = Math.round(Double.parseDouble(result.get(0).getAsJsonObject().getAsJsonArray("value").get(1).getAsString()) * 1000);
                if (--n <= 0) return ts;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("no evaluations in 30 s");
    }

    /** A range query's matrix: series (labels as JSON) to timestamp (ms) to value text. */
    private static Map<String, NavigableMap<Long, String>> matrix(PromApi.Reply r) {
        assertTrue(r.success(), r.body());
        Map<String, NavigableMap<Long, String>> out = new TreeMap<>();
        for (JsonElement e : r.data().getAsJsonObject().getAsJsonArray("result")) {
            JsonObject s = e.getAsJsonObject();
            NavigableMap<Long, String> values = new TreeMap<>();
            for (JsonElement v : s.getAsJsonArray("values")) {
                values.put(Math.round(v.getAsJsonArray().get(0).getAsDouble() * 1000), v.getAsJsonArray().get(1).getAsString());
            }
            Map<String, String> labels = new TreeMap<>();
            s.getAsJsonObject("metric").entrySet().forEach(l -> labels.put(l.getKey(), l.getValue().getAsString()));
            out.put(labels.toString(), values);
        }
        return out;
    }
}
