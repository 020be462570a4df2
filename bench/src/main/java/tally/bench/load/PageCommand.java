package tally.bench.load;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import tally.server.ui.PageQueries;

import java.net.URI;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code page --url=http://127.0.0.1:9090 --dir=PAYLOADS [--loads=5] [--parallel=5] [--ranges=3600,2592000] [--json-out=FILE]}: loads the built-in
 * page's overview as a browser does, for each range of its picker (1 h, 24 h, 7 d, 30 d) ending at the minute after the
 * data's last sample: the metric-name lookup and every panel's request ({@link PageQueries}, the page's own list), at
 * most {@code parallel} in flight (the page's limit; a browser has 6 connections per host). Reports each load's wall time: the first (cold) and the median
 * of the others, with the slowest request of the median load.
 */
final class PageCommand {
    private static final long[][] RANGES = {{3600}, {86_400}, {7 * 86_400}, {30 * 86_400}};

    private PageCommand() {}

    static int run(List<String> argv) throws Exception {
        Args a = new Args(argv);
        String base = a.required("url").replaceAll("/+$", "");
        JsonObject manifest = ReplayCommand.readJson(Path.of(a.required("dir")).resolve("manifest.json"));
        int loads = a.integer("loads", 5), parallel = a.integer("parallel", 5);
        List<long[]> ranges = new ArrayList<>();
        for (long[] r : RANGES) if (!a.has("ranges") || Arrays.asList(a.str("ranges", "").split(",")).contains(Long.toString(r[0]))) ranges.add(r);
        long end = (manifest.get("end_ms").getAsLong() / 60_000L + 1) * 60L;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        List<Object> out = new ArrayList<>();
        int failures = 0;
        try {
            for (long[] r : ranges) {
                long start = end - r[0];
                double[] ms = new double[loads];
                List<Map<String, Object>> slowest = new ArrayList<>();
                List<Map<String, Object>> coldRequests = new ArrayList<>();
                int requests = 0;
                for (int i = 0; i < loads; i++) {
                    long t0 = System.nanoTime();
                    // as the page: the metric-name lookup alongside every panel's request (the events' included)
                    List<PageQueries.Request> reqs = PageQueries.of(start, end, true);
                    List<Future<Map<String, Object>>> fs = new ArrayList<>();
                    fs.add(pool.submit(() -> timed(client, base, new PageQueries.Request("metric names", "", 0, 0, 0, 0),
                            "/api/v1/label/__name__/values")));
                    java.util.Set<String> sent = new java.util.HashSet<>(); // the page sends a repeated request once
                    for (PageQueries.Request q : reqs) {
                        if (sent.add(q.pathAndQuery())) fs.add(pool.submit(() -> timed(client, base, q, q.pathAndQuery())));
                    }
                    Map<String, Object> worst = null;
                    for (Future<Map<String, Object>> f : fs) {
                        Map<String, Object> m = f.get();
                        if (i == 0) coldRequests.add(m);
                        if ((int) m.get("status") != 200) failures++;
                        if (worst == null || (double) m.get("ms") > (double) worst.get("ms")) worst = m;
                    }
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                    slowest.add(worst);
                    requests = fs.size();
                }
                double cold = ms[0];
                double[] warm = Arrays.copyOfRange(ms, Math.min(1, loads - 1), loads);
                Arrays.sort(warm);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("range_s", r[0]);
                row.put("requests", requests);
                row.put("cold_ms", cold);
                row.put("median_ms", warm[warm.length / 2]);
                row.put("max_ms", warm[warm.length - 1]);
                row.put("slowest_request_of_cold_load", slowest.get(0));
                coldRequests.sort((x, y) -> Double.compare((double) y.get("ms"), (double) x.get("ms")));
                row.put("cold_load_requests_slowest_first", coldRequests);
                out.add(row);
                System.err.printf("range %7ds  %3d requests  cold %8.1f ms  median %8.1f ms  (slowest of cold load: %s %.1f ms)%n",
                        r[0], requests, cold, warm[warm.length / 2], slowest.get(0).get("panel"), (double) slowest.get(0).get("ms"));
            }
        } finally {
            pool.shutdownNow();
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("url", base);
        result.put("end", end);
        result.put("loads", loads);
        result.put("parallel", parallel);
        result.put("ranges", out);
        String json = new GsonBuilder().setPrettyPrinting().create().toJson(result);
        if (a.has("json-out")) Files.writeString(Path.of(a.str("json-out", "")), json + "\n", StandardCharsets.UTF_8);
        System.out.println(json);
        return failures == 0 ? 0 : 1;
    }

    private static Map<String, Object> timed(HttpClient client, String base, PageQueries.Request q, String pathAndQuery) throws Exception {
        long t = System.nanoTime();
        HttpResponse<String> r = get(client, base + pathAndQuery);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("panel", q.panel());
        m.put("ms", (System.nanoTime() - t) / 1e6);
        m.put("status", r.statusCode());
        if (r.statusCode() != 200) m.put("error", r.body().length() > 300 ? r.body().substring(0, 300) : r.body());
        else {
            com.google.gson.JsonElement data = ReplayCommand.GSON.fromJson(r.body(), JsonObject.class).get("data");
            m.put("series", data.isJsonArray() ? data.getAsJsonArray().size() : data.getAsJsonObject().getAsJsonArray("result").size());
        }
        m.put("query", q.expr());
        return m;
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
