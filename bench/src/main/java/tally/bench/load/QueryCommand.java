package tally.bench.load;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code queries --url=http://127.0.0.1:9090 --dir=PAYLOADS [--runs=10] [--json-out=FILE]}: runs each dashboard
 * query N times through the Prometheus HTTP API and reports the median time, plus a result fingerprint
 * (series count, sum of values) so that systems can be checked against each other. For the Claude Code workload it
 * then sends every query of the Claude Code Grafana dashboard over 1 d and 30 d ({@link PanelQueries};
 * {@code --panel-runs}, default 3; {@code --dashboard=FILE}).
 */
final class QueryCommand {
    private QueryCommand() {}

    static int run(List<String> argv) throws Exception {
        Args a = new Args(argv);
        String base = a.required("url").replaceAll("/+$", "");
        JsonObject manifest = ReplayCommand.readJson(Path.of(a.required("dir")).resolve("manifest.json"));
        int runs = a.integer("runs", 10);
        // Evaluate at the minute after the last sample, so that instant queries see the end of the data.
        long end = (manifest.get("end_ms").getAsLong() / 60_000L + 1) * 60_000L;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Object> results = new ArrayList<>();
        int failures = 0;
        for (DashboardQueries.Query q : DashboardQueries.forWorkload(manifest.get("workload").getAsString())) {
            String path = q.rangeMs == 0
                    ? "/api/v1/query?query=" + enc(q.promql) + "&time=" + seconds(end)
                    : "/api/v1/query_range?query=" + enc(q.promql) + "&start=" + seconds(end - q.rangeMs)
                        + "&end=" + seconds(end) + "&step=" + seconds(q.stepMs);
            Map<String, Object> r = time(client, base + path, q.name, runs);
            r.put("query", q.promql);
            if ((int) r.get("status") != 200) failures++;
            results.add(r);
        }
        // Our Grafana dashboard's panels, as Grafana sends them (Claude Code metrics only).
        List<Object> panels = new ArrayList<>();
        if (manifest.get("workload").getAsString().equals("claude")) {
            Path dashboard = a.has("dashboard") ? Path.of(a.str("dashboard", ""))
                    : tally.server.grafana.DashboardQueries.dashboardsDir().resolve("claude-code-usage.json");
            int panelRuns = a.integer("panel-runs", 3);
            for (PanelQueries.Request p : PanelQueries.of(dashboard, end)) {
                Map<String, Object> r = time(client, base + p.pathAndQuery(), p.name(), panelRuns);
                r.put("request", p.pathAndQuery());
                if ((int) r.get("status") != 200) failures++;
                panels.add(r);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("url", base);
        out.put("runs", runs);
        out.put("queries", results);
        out.put("panels", panels);
        String json = new GsonBuilder().setPrettyPrinting().create().toJson(out);
        if (a.has("json-out")) Files.writeString(Path.of(a.str("json-out", "")), json + "\n", StandardCharsets.UTF_8);
        System.out.println(json);
        return failures == 0 ? 0 : 1;
    }

    /** Sends one GET {@code runs} times; the median and first time, the status and the result's fingerprint. */
    private static Map<String, Object> time(HttpClient client, String url, String name, int runs) throws Exception {
        double[] ms = new double[runs];
        String body = null;
        int status = 0;
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            HttpResponse<String> resp = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            ms[i] = (System.nanoTime() - t) / 1e6;
            status = resp.statusCode();
            body = resp.body();
        }
        double first = ms[0];
        Arrays.sort(ms);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", name);
        r.put("median_ms", ms[runs / 2]);
        r.put("first_ms", first);
        r.put("status", status);
        if (status == 200) {
            r.putAll(fingerprint(body));
        } else {
            r.put("error", body.length() > 300 ? body.substring(0, 300) : body);
        }
        System.err.printf("%-55s %9.1f ms  %s%n", name, ms[runs / 2], status + " " + r.getOrDefault("series", ""));
        return r;
    }

    /** Series count, point count and the sum of all values of a Prometheus API result. */
    static Map<String, Object> fingerprint(String body) {
        JsonElement payload = ReplayCommand.GSON.fromJson(body, JsonObject.class).get("data");
        if (payload.isJsonArray()) { // label values
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("series", payload.getAsJsonArray().size());
            f.put("points", payload.getAsJsonArray().size());
            f.put("value_sum", 0.0);
            return f;
        }
        JsonArray result = payload.getAsJsonObject().getAsJsonArray("result");
        long points = 0;
        double sum = 0;
        for (JsonElement e : result) {
            JsonObject s = e.getAsJsonObject();
            List<JsonElement> values = new ArrayList<>();
            if (s.has("values")) s.getAsJsonArray("values").forEach(values::add);
            if (s.has("value")) values.add(s.get("value"));
            for (JsonElement v : values) {
                double d = Double.parseDouble(v.getAsJsonArray().get(1).getAsString());
                points++;
                if (Double.isFinite(d)) sum += d;
            }
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("series", result.size());
        f.put("points", points);
        f.put("value_sum", sum);
        return f;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String seconds(long ms) {
        return ms % 1000 == 0 ? Long.toString(ms / 1000) : Double.toString(ms / 1000.0);
    }
}
