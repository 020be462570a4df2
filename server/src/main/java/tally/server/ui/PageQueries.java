package tally.server.ui;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The requests the overview sends for a range, built in Java the way the page's range.js and overview.js build them
 * (the browser tests check the two agree): the load generator's {@code page} command times them on the benchmark data.
 */
public final class PageQueries {
    /** One API request of one panel: an instant query at {@code time}, or a range query when {@code step > 0}. */
    public record Request(String panel, String expr, long time, long start, long end, long step) {
        public boolean range() { return step > 0; }

        /** The path and query string to GET. */
        public String pathAndQuery() {
            String q = java.net.URLEncoder.encode(expr, StandardCharsets.UTF_8);
            return range() ? "/api/v1/query_range?query=" + q + "&start=" + start + "&end=" + end + "&step=" + step
                    : "/api/v1/query?query=" + q + "&time=" + time;
        }
    }

    private static final long[] NICE_STEPS = {60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400};
    private static final long SCRAPE = 60;
    private static final Pattern VARIABLE = Pattern.compile("\\$(__rate_interval|__interval|__range|organization|user|session|model)\\b");

    private PageQueries() {}

    /**
     * Every panel request for {@code [startS, endS]}.
     *
     * @param withEvents with the events section's requests (the page sends them on every load and shows the section
     *                   when the server has the event metrics)
     */
    public static List<Request> of(long startS, long endS, boolean withEvents) {
        JsonObject spec = read("tally/ui/panels.json");
        JsonObject dashboard = read("tally/ui/claude-code-usage.json");
        long rangeS = endS - startS;
        List<Request> out = new ArrayList<>();
        for (JsonElement se : spec.getAsJsonArray("sections")) {
            JsonObject section = se.getAsJsonObject();
            if (section.has("events") && section.get("events").getAsBoolean() && !withEvents) continue;
            for (JsonElement pe : section.getAsJsonArray("panels")) {
                JsonObject panel = pe.getAsJsonObject();
                boolean chart = panel.get("kind").getAsString().equals("chart");
                for (JsonElement qe : panel.getAsJsonArray("queries")) {
                    String[] exprAndMinStep = resolve(qe.getAsJsonObject(), dashboard);
                    String id = panel.get("id").getAsString();
                    if (chart) {
                        long step = Math.max(stepFor(rangeS), parseDuration(exprAndMinStep[1]));
                        out.add(new Request(id, substitute(exprAndMinStep[0], step, rangeS), 0, Math.floorDiv(startS, step) * step, endS, step));
                    } else {
                        out.add(new Request(id, substitute(exprAndMinStep[0], stepFor(rangeS), rangeS), endS, 0, 0, 0));
                    }
                }
            }
        }
        return out;
    }

    /** The metric names whose presence makes the page show the events section (overview.js EVENT_METRICS). */
    public static final Set<String> EVENT_METRICS = Set.of("claude_code_api_requests_total", "claude_code_tool_calls_total",
            "claude_code_user_prompts_total");

    static long stepFor(long seconds) {
        double want = Math.max(SCRAPE, seconds / 300.0);
        for (long s : NICE_STEPS) if (s >= want) return s;
        return (long) Math.ceil(want / 86400) * 86400;
    }

    static String substitute(String expr, long step, long rangeS) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = switch (m.group(1)) {
                case "__rate_interval" -> goDuration(Math.max(step + SCRAPE, 4 * SCRAPE));
                case "__interval" -> grafanaInterval(step);
                case "__range" -> rangeS + "s";
                default -> ".*";
            };
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        return m.appendTail(out).toString();
    }

    private static String goDuration(long s) {
        long h = s / 3600, m = s % 3600 / 60, r = s % 60;
        return h > 0 ? h + "h" + m + "m" + r + "s" : m > 0 ? m + "m" + r + "s" : r + "s";
    }

    private static String grafanaInterval(long s) {
        return s >= 86400 ? s / 86400 + "d" : s >= 3600 ? s / 3600 + "h" : s >= 60 ? s / 60 + "m" : s + "s";
    }

    private static long parseDuration(String s) {
        Matcher m = Pattern.compile("^(\\d+)([smhd])$").matcher(s);
        if (!m.find()) return 0;
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) { case "s" -> n; case "m" -> n * 60; case "h" -> n * 3600; default -> n * 86400; };
    }

    /** {expr, minStep} of a panels.json query: its own, or the named dashboard panel's. */
    private static String[] resolve(JsonObject q, JsonObject dashboard) {
        if (!q.has("dash")) return new String[] {q.get("expr").getAsString(), ""};
        String title = q.get("dash").getAsString(), ref = q.has("ref") ? q.get("ref").getAsString() : "A";
        for (JsonElement de : dashboard.getAsJsonArray("panels")) {
            JsonObject d = de.getAsJsonObject();
            if (d.get("type").getAsString().equals("row") || !d.get("title").getAsString().equals(title)) continue;
            if (q.has("type") && !d.get("type").getAsString().equals(q.get("type").getAsString())) continue;
            for (JsonElement te : d.getAsJsonArray("targets")) {
                JsonObject t = te.getAsJsonObject();
                if (!t.get("refId").getAsString().equals(ref)) continue;
                String interval = d.has("interval") ? d.get("interval").getAsString() : t.has("interval") ? t.get("interval").getAsString() : "";
                return new String[] {t.get("expr").getAsString(), interval};
            }
        }
        throw new IllegalStateException("panels.json names a dashboard query that is not there: " + q);
    }

    private static JsonObject read(String resource) {
        try (InputStream in = PageQueries.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing " + resource);
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
