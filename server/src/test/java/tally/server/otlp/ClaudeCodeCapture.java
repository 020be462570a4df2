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

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Prometheus series and values the recorded Claude Code payloads ({@link ClaudeCodePayloads})
 * must produce, computed from their decoded JSON independently of the translator.
 */
public final class ClaudeCodeCapture {
    /** Expected samples per series after all payloads: deltas summed per series, cumulative values as sent. */
    public static Map<Labels, NavigableMap<Long, Double>> expected(List<Payload> payloads) {
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

    /** The stored series (target_info aside) are exactly the expected ones, with the same samples. */
    public static void assertSeries(Map<Labels, NavigableMap<Long, Double>> expected, Map<Labels, NavigableMap<Long, Double>> stored) {
        Map<Labels, NavigableMap<Long, Double>> actual = new java.util.HashMap<>(stored);
        actual.keySet().removeIf(l -> l.metricName().equals("target_info"));
        assertEquals(expected.keySet(), actual.keySet(), "series");
        for (Map.Entry<Labels, NavigableMap<Long, Double>> e : expected.entrySet()) {
            NavigableMap<Long, Double> got = actual.get(e.getKey());
            assertEquals(e.getValue().keySet(), got.keySet(), "timestamps of " + e.getKey());
            for (Map.Entry<Long, Double> s : e.getValue().entrySet()) {
                assertEquals(s.getValue(), got.get(s.getKey()), 1e-9, e.getKey() + " at " + s.getKey());
            }
        }
    }

    /** The data points of one recorded export. */
    public static int points(Payload p) {
        int n = 0;
        for (var rm : p.decoded().getAsJsonArray("resourceMetrics"))
            for (var sm : rm.getAsJsonObject().getAsJsonArray("scopeMetrics"))
                for (var m : sm.getAsJsonObject().getAsJsonArray("metrics"))
                    n += m.getAsJsonObject().getAsJsonObject("sum").getAsJsonArray("dataPoints").size();
        return n;
    }
}
