package tally.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.server.testing.PromApi;
import tally.server.testing.PrometheusProcess;
import tally.server.testing.RemoteWriteEncoder;
import tally.server.testing.TestServer;
import tally.storage.StorageOptions;
import tally.storage.TallyStorage;

/**
 * /api/v1/labels, /api/v1/label/NAME/values and /api/v1/series over time ranges with and without data, Tally next
 * to Debian's Prometheus 2.42 fed the same remote-write request: a range that holds no data answers empty on both
 * (Grafana's label browser asks for the dashboard's range). Tally's answers come from its head and from a block of
 * the store at once (chunks of 16 samples, flushed before the queries).
 *
 * <p>Not compared: names and values inside the span of Prometheus's head but between two series' data. Prometheus
 * answers those per block (its head is one block) and Tally per chunk, so Tally answers empty there; its storage
 * tests pin that (LabelsInTimeRangeTest). /api/v1/series is per chunk on both sides and compared there too.
 */
class MetadataTimeRangeSideBySideTest {
    @Test
    void rangesWithoutDataAnswerEmptyLikePrometheus(@TempDir Path dir) throws Exception {
        String binary = PrometheusProcess.onPath("prometheus");
        Assumptions.assumeTrue(binary != null, "skipped: prometheus is not on PATH (apt-get install prometheus)");
        long startS = System.currentTimeMillis() / 1000 / 60 * 60 - 55 * 60; // inside Prometheus's 1 h head append window
        Map<Map<String, String>, NavigableMap<Long, Double>> series = new LinkedHashMap<>();
        series.put(Map.of("__name__", "early_total", "job", "a", "zone", "z1"), samples(startS, 10));
        series.put(Map.of("__name__", "late_total", "job", "b"), samples(startS + 40 * 60, 10));
        byte[] body = RemoteWriteEncoder.encode(series);
        long endS = startS + 50 * 60;

        Files.createDirectories(dir.resolve("prom"));
        try (PrometheusProcess prom = PrometheusProcess.start(binary, dir.resolve("prom"));
             TallyStorage storage = TallyStorage.open(StorageOptions.defaults(dir.resolve("tally")).withSamplesPerChunk(16));
             TestServer tally = new TestServer(storage, c -> c.claudeCodeRules = false)) {
            PromApi p = new PromApi(prom.url()), t = new PromApi(tally.webUrl(""));
            for (PromApi api : List.of(p, t)) {
                PromApi.Reply r = api.post("/api/v1/write", "application/x-protobuf", "snappy", body);
                assertTrue(r.status() == 204 || r.status() == 200, api + " write: " + r.status() + " " + r.body());
            }
            storage.flush(); // the full chunks go to today's block: both the head and the store answer below

            String before = window(startS - 7200, startS - 3600), after = window(endS + 3600, endS + 7200);
            String all = window(startS - 60, endS + 600), between = window(startS + 15 * 60, startS + 35 * 60);
            List<String> failures = new ArrayList<>();
            for (String w : List.of(before, after, all)) {
                for (String path : List.of("/api/v1/labels?", "/api/v1/label/__name__/values?", "/api/v1/label/job/values?",
                        "/api/v1/labels?match[]=" + enc("{job=\"a\"}") + "&", "/api/v1/label/zone/values?match[]=early_total&",
                        "/api/v1/series?match[]=" + enc("{__name__=~\".+\"}") + "&")) {
                    compare(failures, p, t, path + w, w.equals(all));
                }
            }
            compare(failures, p, t, "/api/v1/series?match[]=" + enc("{__name__=~\".+\"}") + "&" + between, false);
            assertEquals(List.of(), failures, "Prometheus 2.42 vs Tally");

            // between the two series' data: empty in Tally too (per chunk; Prometheus 2.42 lists its head's names)
            assertEquals("[]", t.get("/api/v1/labels?" + between).data().toString());
            assertEquals("[]", t.get("/api/v1/label/job/values?" + between).data().toString());
        }
    }

    /** A sample every 15 s for {@code minutes}, off Prometheus's evaluation grid by 123 ms. */
    private static NavigableMap<Long, Double> samples(long fromS, int minutes) {
        NavigableMap<Long, Double> out = new TreeMap<>();
        for (int i = 0; i <= minutes * 4; i++) out.put(fromS * 1000 + i * 15_000L + 123, (double) i);
        return out;
    }

    private static String window(long startS, long endS) {
        return "start=" + startS + "&end=" + endS;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Same status and the same list (order aside: Prometheus lists series unsorted); {@code nonEmpty}: must hold data. */
    private static void compare(List<String> failures, PromApi p, PromApi t, String path, boolean nonEmpty) throws Exception {
        PromApi.Reply pr = p.get(path), tr = t.get(path);
        if (pr.status() != 200 || tr.status() != 200) {
            failures.add(path + ": HTTP " + pr.status() + " vs " + tr.status() + ": " + pr.body() + " | " + tr.body());
            return;
        }
        List<String> want = sorted(pr.data()), got = sorted(tr.data());
        if (!want.equals(got)) failures.add(path + ": " + want + " vs " + got);
        if (nonEmpty == want.isEmpty()) failures.add(path + ": expected " + (nonEmpty ? "data" : "nothing") + ", both say " + want);
    }

    private static List<String> sorted(JsonElement data) {
        List<String> out = new ArrayList<>();
        for (JsonElement e : data.getAsJsonArray()) {
            if (!e.isJsonObject()) {
                out.add(e.getAsString());
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            for (Map.Entry<String, JsonElement> kv : e.getAsJsonObject().entrySet()) labels.put(kv.getKey(), kv.getValue().getAsString());
            out.add(labels.toString());
        }
        out.sort(null);
        return out;
    }
}
