package tally.server.testing;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The Prometheus HTTP API as Grafana calls it: form POSTs for queries, GETs for label values, float-second times. */
public final class PromApi {
    /** One response: HTTP status, raw body and the body parsed as JSON (null when it is not JSON). */
    public record Reply(int status, String body, JsonElement json) {
        public boolean success() {
            return status == 200 && json != null && json.isJsonObject()
                    && "success".equals(json.getAsJsonObject().get("status").getAsString());
        }

        public JsonElement data() {
            return json.getAsJsonObject().get("data");
        }

        /** An instant vector result as labels (with __name__ when kept) -> value. */
        public Map<Map<String, String>, Double> vector() {
            Map<Map<String, String>, Double> out = new HashMap<>();
            for (JsonElement e : data().getAsJsonObject().getAsJsonArray("result")) {
                JsonObject s = e.getAsJsonObject();
                Map<String, String> labels = new TreeMap<>();
                s.getAsJsonObject("metric").entrySet().forEach(kv -> labels.put(kv.getKey(), kv.getValue().getAsString()));
                out.put(labels, Double.parseDouble(s.getAsJsonArray("value").get(1).getAsString()));
            }
            return out;
        }
    }

    private final String base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param base e.g. {@code http://127.0.0.1:9090} */
    public PromApi(String base) {
        this.base = base;
    }

    public Reply queryRange(String query, double start, double end, double step) throws IOException, InterruptedException {
        return postForm("/api/v1/query_range", "query", query, "start", seconds(start), "end", seconds(end), "step", seconds(step));
    }

    public Reply query(String query, double time) throws IOException, InterruptedException {
        return postForm("/api/v1/query", "query", query, "time", seconds(time));
    }

    /** {@code GET /api/v1/label/<name>/values?match[]=...&start=...&end=...} as a template variable does. */
    public Reply labelValues(String label, String match, double start, double end) throws IOException, InterruptedException {
        return get("/api/v1/label/" + label + "/values?" + form("match[]", match, "start", seconds(start), "end", seconds(end)));
    }

    public Reply get(String pathAndQuery) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET());
    }

    public Reply postForm(String path, String... pairs) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(pairs))));
    }

    public Reply post(String path, String contentType, String contentEncoding, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentEncoding != null) b.header("Content-Encoding", contentEncoding);
        return send(b);
    }

    private Reply send(HttpRequest.Builder b) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        JsonElement json;
        try {
            json = r.body().isEmpty() ? null : JsonParser.parseString(r.body());
        } catch (RuntimeException notJson) {
            json = null;
        }
        return new Reply(r.statusCode(), r.body(), json);
    }

    /** Grafana's float-second format: whole seconds without a fraction, otherwise up to milliseconds. */
    public static String seconds(double s) {
        if (s == Math.rint(s)) return Long.toString((long) s);
        return new java.math.BigDecimal(s).setScale(3, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    public static String form(String... pairs) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            parts.add(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8) + "=" + URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return String.join("&", parts);
    }
}
