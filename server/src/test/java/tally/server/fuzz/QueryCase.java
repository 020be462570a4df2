package tally.server.fuzz;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import tally.server.testing.TestServer;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One fuzzed query API request: an instant or range query, or a series or label-names lookup by selector
 * ({@code match[]}), with its times, sent as a GET or a form POST (as Grafana does).
 */
record QueryCase(String api, String query, String time, String start, String end, String step, boolean post) {
    static final String QUERY = "query", RANGE = "query_range", SERIES = "series", LABELS = "labels";

    String path() {
        return "/api/v1/" + api;
    }

    String form() {
        String q = URLEncoder.encode(query, StandardCharsets.UTF_8);
        return switch (api) {
            case QUERY -> "query=" + q + "&time=" + time;
            case RANGE -> "query=" + q + "&start=" + start + "&end=" + end + "&step=" + step;
            default -> "match%5B%5D=" + q + "&start=" + start + "&end=" + end;
        };
    }

    /** Saved as the request line and form, one per line, then the query as it is (for reading). */
    byte[] toBytes() {
        return ((post ? "POST " : "GET ") + path() + "\n" + form() + "\n" + query).getBytes(StandardCharsets.UTF_8);
    }

    static QueryCase parse(byte[] saved) {
        String[] lines = new String(saved, StandardCharsets.UTF_8).split("\n", 3);
        Map<String, String> form = new HashMap<>();
        for (String kv : lines[1].split("&")) {
            int eq = kv.indexOf('=');
            form.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        String api = lines[0].substring(lines[0].lastIndexOf('/') + 1);
        String query = form.containsKey("query") ? form.get("query") : form.get("match[]");
        return new QueryCase(api, query, form.get("time"), form.get("start"), form.get("end"), form.get("step"), lines[0].startsWith("POST"));
    }

    /**
     * Sends the request and checks the answer: 200 with a success body, or 400/422 with Prometheus's error JSON
     * (errorType, error); anything else, a 5xx above all, fails. Returns the outcome's name.
     */
    String send(TestServer s) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder().timeout(Duration.ofSeconds(60));
        if (post) {
            b.uri(URI.create(s.webUrl(path()))).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form()));
        } else {
            b.uri(URI.create(s.webUrl(path() + "?" + form()))).GET();
        }
        HttpResponse<String> r = s.client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return check(r);
    }

    private static String check(HttpResponse<String> r) {
        int code = r.statusCode();
        JsonObject body;
        try {
            body = JsonParser.parseString(r.body()).getAsJsonObject();
        } catch (RuntimeException e) {
            // a GET whose request line passes the HTTP decoder's 8 KiB is refused before the API sees it (Prometheus's
            // Go server answers such requests with a plain-text 431 too)
            if (code == 400 && r.body().contains("TooLongHttpLineException")) return "400 HTTP request line too long";
            throw new AssertionError("status " + code + " with a body that is not JSON: " + abbreviate(r.body()));
        }
        String status = body.has("status") ? body.get("status").getAsString() : "";
        if (code == 200 && status.equals("success")) {
            if (body.get("data").isJsonArray()) return "200 " + (body.getAsJsonArray("data").isEmpty() ? "empty list" : "list");
            JsonObject data = body.getAsJsonObject("data");
            return "200 " + data.get("resultType").getAsString() + (data.get("result").isJsonArray() && data.getAsJsonArray("result").isEmpty() ? " (empty)" : "");
        }
        if ((code == 400 || code == 422) && status.equals("error") && body.has("errorType") && body.has("error")
                && !body.get("error").getAsString().isBlank()) {
            return code + " " + body.get("errorType").getAsString() + ": " + Replies.reason(body.get("error").getAsString()
                    .replaceFirst("^invalid parameter \"query\": \\d+:\\d+: ", ""));
        }
        throw new AssertionError("status " + code + ": " + abbreviate(r.body()));
    }

    private static String abbreviate(String s) {
        return s.length() > 600 ? s.substring(0, 600) + "..." : s;
    }
}
