package tally.server.otlp;

import tally.server.testing.ClaudeCodePayloads;
import tally.server.testing.ClaudeCodePayloads.Payload;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import tally.model.Labels;
import tally.model.LabelsBuilder;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The Prometheus series and values the recorded Claude Code payloads ({@link ClaudeCodePayloads})
 * must produce, computed from their decoded JSON independently of the translator.
 */
final class ClaudeCodeCapture {
    /** Expected samples per series after all payloads: deltas summed per series, cumulative values as sent. */
    static Map<Labels, NavigableMap<Long, Double>> expected(List<Payload> payloads) {
        Map<Labels, NavigableMap<Long, Double>> out = new HashMap<>();
        Map<Labels, Double> totals = new HashMap<>();
        for (Payload p : payloads) {
            for (JsonElement rmE : p.decoded().getAsJsonArray("resourceMetrics")) {
                JsonObject rm = rmE.getAsJsonObject();
                String job = ClaudeCodePayloads.attributes(rm.getAsJsonObject("resource").getAsJsonArray("attributes")).get("service.name");
                for (JsonElement smE : rm.getAsJsonArray("scopeMetrics")) {
                    for (JsonElement mE : smE.getAsJsonObject().getAsJsonArray("metrics")) {
                        JsonObject m = mE.getAsJsonObject();
                        String name = ClaudeCodePayloads.NAMES.get(m.get("name").getAsString());
                        if (name == null) throw new AssertionError("unexpected metric " + m.get("name"));
                        JsonObject sum = m.getAsJsonObject("sum");
                        boolean delta = sum.get("aggregationTemporality").getAsString().matches("1|AGGREGATION_TEMPORALITY_DELTA");
                        for (JsonElement dpE : sum.getAsJsonArray("dataPoints")) {
                            JsonObject dp = dpE.getAsJsonObject();
                            LabelsBuilder b = new LabelsBuilder();
                            ClaudeCodePayloads.attributes(dp.getAsJsonArray("attributes")).forEach((k, v) -> b.set(k.replace('.', '_'), v));
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
        Map<String, String> attrs = ClaudeCodePayloads.attributes(rm.getAsJsonObject("resource").getAsJsonArray("attributes"));
        LabelsBuilder b = new LabelsBuilder();
        attrs.forEach((k, v) -> {
            if (!k.equals("service.name")) b.set(k.replace('.', '_'), v);
        });
        return b.set("job", attrs.get("service.name")).set(Labels.METRIC_NAME, "target_info").build();
    }
}
