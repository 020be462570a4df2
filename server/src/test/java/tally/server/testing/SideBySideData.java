package tally.server.testing;

import tally.model.StaleNaN;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

/**
 * Seeded data shaped like Claude Code counters plus a few gauges, built so that Prometheus 2.42 and
 * 3.x semantics agree on it (see PrometheusSideBySideTest):
 * <ul>
 *   <li>every timestamp is a whole second plus 1..999 ms, so no evaluation window (whole seconds) has
 *       a sample on its boundary (left-open vs closed windows cannot differ);</li>
 *   <li>counters start at 10^5..10^6 and increase by at most 50 per sample, and a reset halves the value:
 *       so a counter's first value in any window is never close to one interval's increase, and the
 *       extrapolation-order change of 2.51 (zero clamp before vs after the threshold) cannot matter;</li>
 *   <li>no NaN sample values other than stale markers (irate's NaN handling differs), no newlines in
 *       label values (regex '.' differs).</li>
 * </ul>
 * Series start inside the span, some have gaps longer than the 5 m lookback, some end with a stale marker.
 */
public final class SideBySideData {
    public static final List<String> MODELS = List.of("claude-sonnet-4-5", "claude-opus-4-1", "claude-haiku-4-5");
    public static final List<String> TYPES = List.of("input", "output", "cacheRead", "cacheCreation");

    public final long startMs;
    public final long endMs;
    public final Map<Map<String, String>, NavigableMap<Long, Double>> series = new LinkedHashMap<>();

    /** @param startMs a whole second; data covers [startMs, startMs + spanMs) */
    public SideBySideData(long seed, long startMs, long spanMs) {
        this.startMs = startMs;
        this.endMs = startMs + spanMs;
        Random r = new Random(seed);
        for (int session = 0; session < 4; session++) {
            String sessionId = "s" + session;
            String user = "user" + (session % 2) + "@example.com";
            for (String model : MODELS) {
                for (String type : TYPES) {
                    if (r.nextInt(4) == 0) continue; // not every session uses every model and type
                    counter(r, labels("claude_code_token_usage_tokens_total", "session_id", sessionId, "user_email", user,
                            "model", model, "type", type, "job", "claude-code"));
                }
                counter(r, labels("claude_code_cost_usage_USD_total", "session_id", sessionId, "user_email", user,
                        "model", model, "job", "claude-code"));
            }
            counter(r, labels("claude_code_active_time_seconds_total", "session_id", sessionId, "user_email", user,
                    "type", "cli", "job", "claude-code"));
            counter(r, labels("claude_code_lines_of_code_count_total", "session_id", sessionId, "user_email", user,
                    "type", session % 2 == 0 ? "added" : "removed", "job", "claude-code"));
            counter(r, labels("claude_code_session_count_total", "session_id", sessionId, "user_email", user,
                    "terminal_type", "vscode", "job", "claude-code"));
        }
        for (int i = 0; i < 4; i++) {
            gauge(r, labels("node_memory_used_bytes", "instance", "host" + i, "job", "node"), 1e9);
            gauge(r, labels("queue_depth", "instance", "host" + i, "job", "worker", "queue", i % 2 == 0 ? "fast" : "slow"), 100);
        }
        for (String le : List.of("0.1", "0.5", "1", "5", "+Inf")) {
            // a classic histogram: cumulative buckets that grow together
            series.put(labels("request_duration_seconds_bucket", "le", le, "job", "api"), new TreeMap<>());
        }
        histogram(r);
    }

    private void counter(Random r, Map<String, String> labels) {
        NavigableMap<Long, Double> s = new TreeMap<>();
        double v = 100_000 + r.nextInt(900_000);
        int resets = 0;
        long t = startMs + r.nextInt((int) ((endMs - startMs) / 3)) / 1000 * 1000;
        boolean staleEnd = r.nextInt(5) == 0;
        while (t < endMs) {
            s.put(t + 1 + r.nextInt(999), v);
            v += r.nextInt(51); // integer increments: sums are exact in any order (Kahan or not)
            if (resets < 2 && r.nextInt(60) == 0) {
                v = Math.floor(v / 2);
                resets++;
            }
            t += (10 + r.nextInt(21)) * 1000L;
            if (r.nextInt(80) == 0) t += 6 * 60_000L; // a gap longer than the lookback
            if (staleEnd && t > endMs - (endMs - startMs) / 4) break;
        }
        if (staleEnd && !s.isEmpty()) s.put(s.lastKey() / 1000 * 1000 + 15_000 + 1 + r.nextInt(999), StaleNaN.VALUE);
        series.put(labels, s);
    }

    private void gauge(Random r, Map<String, String> labels, double scale) {
        NavigableMap<Long, Double> s = new TreeMap<>();
        for (long t = startMs + r.nextInt(120) * 1000L; t < endMs; t += (15 + r.nextInt(16)) * 1000L) {
            s.put(t + 1 + r.nextInt(999), (double) Math.round(scale * (0.5 + r.nextDouble())));
        }
        series.put(labels, s);
    }

    private void histogram(Random r) {
        double[] counts = new double[5];
        for (long t = startMs; t < endMs; t += 30_000L) {
            long ts = t + 1 + r.nextInt(999);
            for (int i = 0; i < counts.length; i++) counts[i] += r.nextInt(5);
            double cumulative = 0;
            int i = 0;
            for (Map.Entry<Map<String, String>, NavigableMap<Long, Double>> e : series.entrySet()) {
                if (!"request_duration_seconds_bucket".equals(e.getKey().get("__name__"))) continue;
                cumulative += counts[i++];
                e.getValue().put(ts, cumulative);
            }
        }
    }

    private static Map<String, String> labels(String name, String... kv) {
        Map<String, String> out = new TreeMap<>();
        out.put("__name__", name);
        for (int i = 0; i < kv.length; i += 2) out.put(kv[i], kv[i + 1]);
        return out;
    }
}
