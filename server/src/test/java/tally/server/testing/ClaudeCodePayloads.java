package tally.server.testing;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The recorded Claude Code OTLP exports (test resources {@code /claude-code-otlp/<capture>/}) and the
 * Prometheus series they must become, computed from the decoded JSON alone (no Tally code).
 */
public final class ClaudeCodePayloads {
    /** Every capture directory; each one is a different Claude Code session. */
    public static final List<String> CAPTURES = List.of("protobuf-default", "json-default", "protobuf-gzip-traces", "protobuf-cumulative");

    /** OTLP name to Prometheus name (Prometheus's UnderscoreEscapingWithSuffixes). */
    public static final Map<String, String> NAMES = Map.of(
            "claude_code.session.count", "claude_code_session_count_total",
            "claude_code.lines_of_code.count", "claude_code_lines_of_code_count_total",
            "claude_code.cost.usage", "claude_code_cost_usage_USD_total",
            "claude_code.token.usage", "claude_code_token_usage_tokens_total",
            "claude_code.code_edit_tool.decision", "claude_code_code_edit_tool_decision_total",
            "claude_code.commit.count", "claude_code_commit_count_total",
            "claude_code.active_time.total", "claude_code_active_time_seconds_total",
            "claude_code.pull_request.count", "claude_code_pull_request_count_total");

    /** One recorded request: body as sent, its headers, and its content as OTLP JSON. */
    public record Payload(String name, byte[] wire, String contentType, String contentEncoding, JsonObject decoded) {}

    private ClaudeCodePayloads() {}

    /** Every capture holding log exports: the metrics captures plus grpc-default (replayed as OTLP/HTTP protobuf). */
    public static final List<String> LOG_CAPTURES = List.of("protobuf-default", "json-default", "protobuf-gzip-traces",
            "protobuf-cumulative", "grpc-default");

    /** The metrics exports of a capture, in the order they were sent. */
    public static List<Payload> load(String capture) throws IOException {
        return load(capture, "metrics");
    }

    /** The logs exports (Claude Code's events) of a capture, in the order they were sent. */
    public static List<Payload> loadLogs(String capture) throws IOException {
        return load(capture, "logs");
    }

    /** {@code .bin} is the body as received; see below for gRPC logs, whose framed bodies are not kept. */
    private static List<Payload> load(String capture, String signal) throws IOException {
        List<Payload> out = new ArrayList<>();
        for (int i = 1; ; i++) {
            String base = String.format("/claude-code-otlp/%s/%s-%s-%03d", capture, signal, capture, i);
            byte[] meta = read(base + ".meta.json");
            if (meta == null) return out;
            JsonObject m = JsonParser.parseString(new String(meta, StandardCharsets.UTF_8)).getAsJsonObject();
            // gRPC request bodies (.bin, framed) are kept only for the metrics; without them the unframed message
            // (.pb) stands in, sent as an OTLP/HTTP protobuf body
            byte[] wire = read(base + ".bin");
            boolean unframed = wire == null && m.get("transport").getAsString().startsWith("grpc");
            if (unframed) wire = read(base + ".pb");
            byte[] decoded = read(base + ".decoded.json");
            JsonElement enc = m.get("content_encoding");
            out.add(new Payload(base, wire, unframed ? "application/x-protobuf" : m.get("content_type").getAsString(),
                    enc == null || enc.isJsonNull() ? null : enc.getAsString(),
                    JsonParser.parseString(new String(decoded != null ? decoded : wire, StandardCharsets.UTF_8)).getAsJsonObject()));
        }
    }

    /**
     * The series (labels including {@code __name__}) with their cumulative samples (ms -> value):
     * delta points summed per series in order, cumulative points as sent.
     */
    public static Map<Map<String, String>, NavigableMap<Long, Double>> series(List<Payload> payloads) {
        Map<Map<String, String>, NavigableMap<Long, Double>> out = new HashMap<>();
        Map<Map<String, String>, Double> totals = new HashMap<>();
        for (Payload p : payloads) {
            for (JsonElement rmE : p.decoded().getAsJsonArray("resourceMetrics")) {
                JsonObject rm = rmE.getAsJsonObject();
                String job = attributes(rm.getAsJsonObject("resource").getAsJsonArray("attributes")).get("service.name");
                for (JsonElement smE : rm.getAsJsonArray("scopeMetrics")) {
                    for (JsonElement mE : smE.getAsJsonObject().getAsJsonArray("metrics")) {
                        JsonObject m = mE.getAsJsonObject();
                        String name = NAMES.get(m.get("name").getAsString());
                        JsonObject sum = m.getAsJsonObject("sum");
                        boolean delta = sum.get("aggregationTemporality").getAsString().matches("1|AGGREGATION_TEMPORALITY_DELTA");
                        for (JsonElement dpE : sum.getAsJsonArray("dataPoints")) {
                            JsonObject dp = dpE.getAsJsonObject();
                            Map<String, String> labels = new TreeMap<>();
                            attributes(dp.getAsJsonArray("attributes")).forEach((k, v) -> labels.put(k.replace('.', '_'), v));
                            labels.put("job", job);
                            labels.put("__name__", name);
                            long t = Long.parseLong(dp.get("timeUnixNano").getAsString()) / 1_000_000L;
                            double v = dp.get("asDouble").getAsDouble();
                            out.computeIfAbsent(labels, k -> new TreeMap<>()).put(t, delta ? totals.merge(labels, v, Double::sum) : v);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Earliest and latest sample time (ms) over all series. */
    public static long[] timeSpan(Map<Map<String, String>, NavigableMap<Long, Double>> series) {
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        for (NavigableMap<Long, Double> s : series.values()) {
            min = Math.min(min, s.firstKey());
            max = Math.max(max, s.lastKey());
        }
        return new long[] {min, max};
    }

    /** OTLP attributes (string, bool and int values) as a map. */
    public static Map<String, String> attributes(JsonArray attrs) {
        Map<String, String> out = new HashMap<>();
        if (attrs == null) return out;
        for (JsonElement e : attrs) {
            JsonObject kv = e.getAsJsonObject();
            JsonObject v = kv.getAsJsonObject("value");
            String s;
            if (v.has("stringValue")) s = v.get("stringValue").getAsString();
            else if (v.has("boolValue")) s = Boolean.toString(v.get("boolValue").getAsBoolean());
            else if (v.has("intValue")) s = v.get("intValue").getAsString();
            else throw new AssertionError("unexpected attribute value " + v);
            out.put(kv.get("key").getAsString(), s);
        }
        return out;
    }

    private static byte[] read(String resource) throws IOException {
        try (InputStream in = ClaudeCodePayloads.class.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        }
    }
}
