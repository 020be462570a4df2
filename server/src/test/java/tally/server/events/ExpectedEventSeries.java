package tally.server.events;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import tally.server.testing.ClaudeCodePayloads.Payload;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The derived series recorded Claude Code log exports must produce, counted here from their decoded OTLP/JSON alone,
 * independently of Tally's code: the metric table and bucket bounds of docs/claude-code-events.md, each
 * (session.id, event.sequence) once.
 */
final class ExpectedEventSeries {
    static final String SCOPE = "com.anthropic.claude_code.events";
    static final Map<String, double[]> BUCKETS = Map.of(
            "claude_code_api_request_duration_seconds", new double[] {0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600},
            "claude_code_api_time_to_first_token_seconds", new double[] {0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60},
            "claude_code_tool_duration_seconds", new double[] {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120, 600},
            "claude_code_prompt_length_chars", new double[] {10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000},
            "claude_code_subagent_duration_seconds", new double[] {1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600});
    private static final List<String[]> IDENTITY = List.of(new String[] {"user.id", "user_id"}, new String[] {"user.email", "user_email"},
            new String[] {"organization.id", "organization_id"}, new String[] {"user.account_uuid", "user_account_uuid"},
            new String[] {"terminal.type", "terminal_type"});

    /** The final value of every derived series (labels with __name__), and how many events each counted. */
    final Map<Map<String, String>, Double> values = new HashMap<>();
    /** Earliest event time (ms) per counter series. */
    final Map<Map<String, String>, Long> firstTime = new HashMap<>();
    /** Claude Code event records in the payloads, duplicates included, and distinct ones. */
    int records;
    int distinct;
    /** Time (ms) of the latest event. */
    long lastTime = Long.MIN_VALUE;
    /** Events by name (distinct ones). */
    final Map<String, Integer> byEvent = new TreeMap<>();

    static ExpectedEventSeries of(List<Payload> payloads) {
        ExpectedEventSeries x = new ExpectedEventSeries();
        Set<String> counted = new HashSet<>();
        for (Payload p : payloads) {
            for (JsonElement rl : p.decoded().getAsJsonArray("resourceLogs")) {
                Map<String, String> resource = attributes(rl.getAsJsonObject().getAsJsonObject("resource"));
                for (JsonElement sl : rl.getAsJsonObject().getAsJsonArray("scopeLogs")) {
                    if (!SCOPE.equals(sl.getAsJsonObject().getAsJsonObject("scope").get("name").getAsString())) continue;
                    for (JsonElement r : sl.getAsJsonObject().getAsJsonArray("logRecords")) {
                        x.records++;
                        JsonObject rec = r.getAsJsonObject();
                        Map<String, String> a = attributes(rec);
                        if (!counted.add(a.get("session.id") + "/" + a.get("event.sequence"))) continue;
                        x.distinct++;
                        x.byEvent.merge(a.get("event.name"), 1, Integer::sum);
                        Map<String, String> id = new TreeMap<>();
                        for (String[] k : IDENTITY) if (a.containsKey(k[0])) id.put(k[1], a.get(k[0]));
                        id.put("job", resource.get("service.name"));
                        long t = Long.parseLong(rec.get("timeUnixNano").getAsString()) / 1_000_000L;
                        x.lastTime = Math.max(x.lastTime, t);
                        x.event(a, id, t);
                    }
                }
            }
        }
        return x;
    }

    private void event(Map<String, String> a, Map<String, String> id, long t) {
        switch (a.get("event.name")) {
            case "api_request" -> {
                count("claude_code_api_requests_total", id, t, "model", a.get("model"), "query_source", a.get("query_source"));
                observe("claude_code_api_request_duration_seconds", id, Double.parseDouble(a.get("duration_ms")) / 1000, "model", a.get("model"));
                if (a.containsKey("ttft_ms")) {
                    observe("claude_code_api_time_to_first_token_seconds", id, Double.parseDouble(a.get("ttft_ms")) / 1000, "model", a.get("model"));
                }
            }
            case "api_error" -> count("claude_code_api_errors_total", id, t, "model", a.get("model"), "status_code", a.get("status_code"));
            case "api_retries_exhausted" -> count("claude_code_api_retries_exhausted_total", id, t, "model", a.get("model"),
                    "status_code", a.get("status_code"));
            case "tool_result" -> {
                count("claude_code_tool_calls_total", id, t, "tool_name", a.get("tool_name"), "success", a.get("success"));
                observe("claude_code_tool_duration_seconds", id, Double.parseDouble(a.get("duration_ms")) / 1000, "tool_name", a.get("tool_name"));
            }
            case "tool_decision" -> count("claude_code_tool_decisions_total", id, t, "tool_name", a.get("tool_name"),
                    "decision", a.get("decision"), "source", a.get("source"));
            case "user_prompt" -> {
                count("claude_code_user_prompts_total", id, t);
                if (a.containsKey("prompt_length")) observe("claude_code_prompt_length_chars", id, Double.parseDouble(a.get("prompt_length")));
            }
            case "subagent_completed" -> observe("claude_code_subagent_duration_seconds", id,
                    Double.parseDouble(a.get("duration_ms")) / 1000, "agent_type", a.get("agent_type"));
            default -> { }
        }
    }

    private Map<String, String> series(String name, Map<String, String> id, String... labels) {
        Map<String, String> l = new TreeMap<>(id);
        for (int i = 0; i < labels.length; i += 2) if (labels[i + 1] != null) l.put(labels[i], labels[i + 1]);
        l.put("__name__", name);
        return l;
    }

    private void count(String name, Map<String, String> id, long t, String... labels) {
        Map<String, String> s = series(name, id, labels);
        values.merge(s, 1.0, Double::sum);
        firstTime.merge(s, t, Math::min);
    }

    private void observe(String name, Map<String, String> id, double v, String... labels) {
        Map<String, String> base = series(name, id, labels);
        for (double b : BUCKETS.get(name)) {
            Map<String, String> bucket = new TreeMap<>(base);
            bucket.put("__name__", name + "_bucket");
            bucket.put("le", BigDecimal.valueOf(b).stripTrailingZeros().toPlainString());
            values.merge(bucket, v <= b ? 1.0 : 0.0, Double::sum);
        }
        Map<String, String> inf = new TreeMap<>(base);
        inf.put("__name__", name + "_bucket");
        inf.put("le", "+Inf");
        values.merge(inf, 1.0, Double::sum);
        Map<String, String> sum = new TreeMap<>(base);
        sum.put("__name__", name + "_sum");
        values.merge(sum, v, Double::sum);
        Map<String, String> count = new TreeMap<>(base);
        count.put("__name__", name + "_count");
        values.merge(count, 1.0, Double::sum);
    }

    /** What differs between the expected final values and {@code actual} (values within 1e-9), "" when nothing. */
    String diff(Map<Map<String, String>, Double> actual) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<Map<String, String>, Double> e : values.entrySet()) {
            Double got = actual.get(e.getKey());
            if (got == null) out.append("missing ").append(e.getKey()).append('\n');
            else if (Math.abs(got - e.getValue()) > 1e-9) out.append(e.getKey()).append(": ").append(got).append(" != ").append(e.getValue()).append('\n');
        }
        for (Map<String, String> k : actual.keySet()) if (!values.containsKey(k)) out.append("unexpected ").append(k).append('\n');
        return out.toString();
    }

    /** Attributes of a resource or record: string, int (string or number), double and bool values as text. */
    static Map<String, String> attributes(JsonObject holder) {
        Map<String, String> out = new HashMap<>();
        if (holder == null || !holder.has("attributes")) return out;
        for (JsonElement e : holder.getAsJsonArray("attributes")) {
            JsonObject kv = e.getAsJsonObject();
            JsonObject v = kv.getAsJsonObject("value");
            String text = null;
            if (v.has("stringValue")) text = v.get("stringValue").getAsString();
            else if (v.has("intValue")) text = Long.toString(v.get("intValue").getAsLong());
            else if (v.has("boolValue")) text = Boolean.toString(v.get("boolValue").getAsBoolean());
            else if (v.has("doubleValue")) text = v.get("doubleValue").getAsString();
            if (text != null) out.put(kv.get("key").getAsString(), text);
        }
        return out;
    }
}
