package tally.server.otlp;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import tally.model.Labels;
import tally.model.LabelsBuilder;

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
 * The recorded Claude Code payloads (test resources) and, computed independently of the
 * translator from their decoded JSON, the Prometheus series and values they must produce.
 */
final class ClaudeCodeCapture {
    /** Prometheus names per DESIGN.md section 5 / Prometheus's UnderscoreEscapingWithSuffixes. */
    static final Map<String, String> NAMES = Map.of(
            "claude_code.session.count", "claude_code_session_count_total",
            "claude_code.lines_of_code.count", "claude_code_lines_of_code_count_total",
            "claude_code.cost.usage", "claude_code_cost_usage_USD_total",
            "claude_code.token.usage", "claude_code_token_usage_tokens_total",
            "claude_code.code_edit_tool.decision", "claude_code_code_edit_tool_decision_total",
            "claude_code.commit.count", "claude_code_commit_count_total",
            "claude_code.active_time.total", "claude_code_active_time_seconds_total",
            "claude_code.pull_request.count", "claude_code_pull_request_count_total");

    record Payload(String name, byte[] wire, String contentType, String contentEncoding, JsonObject decoded) {}

    static List<Payload> load(String capture, int count) throws IOException {
        List<Payload> out = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String base = String.format("/claude-code-otlp/%s/metrics-%s-%03d", capture, capture, i);
            byte[] wire = read(base + ".bin");
            if (wire == null) break;
            JsonObject meta = JsonParser.parseString(new String(read(base + ".meta.json"), StandardCharsets.UTF_8)).getAsJsonObject();
            byte[] decodedBytes = read(base + ".decoded.json");
            JsonObject decoded = JsonParser.parseString(new String(decodedBytes != null ? decodedBytes : wire, StandardCharsets.UTF_8))
                    .getAsJsonObject();
            JsonElement enc = meta.get("content_encoding");
            out.add(new Payload(base, wire, meta.get("content_type").getAsString(), enc == null || enc.isJsonNull() ? null : enc.getAsString(), decoded));
        }
        return out;
    }

    private static byte[] read(String resource) throws IOException {
        try (InputStream in = ClaudeCodeCapture.class.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    /** Expected samples per series after all payloads: deltas summed per series, cumulative values as sent. */
    static Map<Labels, NavigableMap<Long, Double>> expected(List<Payload> payloads) {
        Map<Labels, NavigableMap<Long, Double>> out = new HashMap<>();
        Map<Labels, Double> totals = new HashMap<>();
        for (Payload p : payloads) {
            for (JsonElement rmE : p.decoded().getAsJsonArray("resourceMetrics")) {
                JsonObject rm = rmE.getAsJsonObject();
                String job = attributes(rm.getAsJsonObject("resource").getAsJsonArray("attributes")).get("service.name");
                for (JsonElement smE : rm.getAsJsonArray("scopeMetrics")) {
                    for (JsonElement mE : smE.getAsJsonObject().getAsJsonArray("metrics")) {
                        JsonObject m = mE.getAsJsonObject();
                        String name = NAMES.get(m.get("name").getAsString());
                        if (name == null) throw new AssertionError("unexpected metric " + m.get("name"));
                        JsonObject sum = m.getAsJsonObject("sum");
                        boolean delta = sum.get("aggregationTemporality").getAsString().matches("1|AGGREGATION_TEMPORALITY_DELTA");
                        for (JsonElement dpE : sum.getAsJsonArray("dataPoints")) {
                            JsonObject dp = dpE.getAsJsonObject();
                            LabelsBuilder b = new LabelsBuilder();
                            attributes(dp.getAsJsonArray("attributes")).forEach((k, v) -> b.set(k.replace('.', '_'), v));
                            b.set("job", job).set(Labels.METRIC_NAME, name);
                            Labels labels = b.build();
                            long t = Long.parseLong(dp.get("timeUnixNano").getAsString()) / 1_000_000L;
                            double v = dp.get("asDouble").getAsDouble();
                            double value = delta ? totals.merge(labels, v, Double::sum) : v;
                            out.computeIfAbsent(labels, k -> new TreeMap<>()).put(t, value);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Resource attributes as target_info labels: everything except service.name, plus job. */
    static Labels targetInfo(Payload p) {
        JsonObject rm = p.decoded().getAsJsonArray("resourceMetrics").get(0).getAsJsonObject();
        Map<String, String> attrs = attributes(rm.getAsJsonObject("resource").getAsJsonArray("attributes"));
        LabelsBuilder b = new LabelsBuilder();
        attrs.forEach((k, v) -> {
            if (!k.equals("service.name")) b.set(k.replace('.', '_'), v);
        });
        return b.set("job", attrs.get("service.name")).set(Labels.METRIC_NAME, "target_info").build();
    }

    static Map<String, String> attributes(JsonArray attrs) {
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
}
