package tally.server.ui;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import tally.server.testing.PromApi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the overview shows, read from the page (each panel's queries, its numbers as data-value attributes, its chart's
 * series and points), and the same questions asked of an API directly.
 */
final class OverviewPanels {
    /** One panel as the browser shows it. */
    record Panel(String id, String kind, String state, JsonArray queries, List<Double> values, int series, int points, String text) {}

    /** What the API answers to a panel's queries: every instant sample's value, and the range queries' series and points. */
    record Answer(List<Double> values, int series, int points) {}

    private static final String READ = """
            return [...document.querySelectorAll('[data-panel]')].filter(p => !p.closest('section').hidden).map(p => {
              const body = p.querySelector('.body');
              return { id: p.dataset.panel, kind: p.dataset.kind, state: p.dataset.state, queries: p.dataset.queries || '[]',
                values: [...p.querySelectorAll('[data-value]')].map(e => e.dataset.value),
                series: body.dataset.series || '0', points: body.dataset.points || '0', text: body.innerText };
            });""";

    private OverviewPanels() {}

    /** Waits for the overview to finish loading (generation {@code atLeast} or later), then reads every visible panel. */
    @SuppressWarnings("unchecked")
    static List<Panel> read(Browser b, int atLeast) {
        b.await("the overview finishes loading", d -> {
            Object g = b.js("const o = document.getElementById('overview'); return o && o.dataset.loaded ? Number(o.dataset.loaded) : 0;");
            return ((Number) g).intValue() >= atLeast ? Boolean.TRUE : null;
        });
        List<Panel> out = new ArrayList<>();
        for (Map<String, Object> m : (List<Map<String, Object>>) b.js(READ)) {
            List<Double> values = new ArrayList<>();
            for (Object v : (List<Object>) m.get("values")) {
                String s = (String) v;
                if (!s.isEmpty()) values.add(parse(s));
            }
            out.add(new Panel((String) m.get("id"), (String) m.get("kind"), (String) m.get("state"),
                    JsonParser.parseString((String) m.get("queries")).getAsJsonArray(), values,
                    Integer.parseInt((String) m.get("series")), Integer.parseInt((String) m.get("points")), (String) m.get("text")));
        }
        return out;
    }

    /** Asks {@code api} the panel's queries exactly as the page sent them. */
    static Answer ask(PromApi api, Panel p) throws Exception {
        List<Double> values = new ArrayList<>();
        int series = 0, points = 0;
        for (JsonElement e : p.queries()) {
            JsonObject q = e.getAsJsonObject();
            String expr = q.get("expr").getAsString();
            PromApi.Reply r = q.has("step")
                    ? api.queryRange(expr, q.get("start").getAsDouble(), q.get("end").getAsDouble(), q.get("step").getAsDouble())
                    : api.query(expr, q.get("time").getAsDouble());
            if (!r.success()) throw new AssertionError(p.id() + ": " + expr + " -> " + r.body());
            JsonObject data = r.data().getAsJsonObject();
            JsonArray result = data.getAsJsonArray("result");
            switch (data.get("resultType").getAsString()) {
                case "scalar" -> values.add(parse(result.get(1).getAsString()));
                case "vector" -> result.forEach(s -> values.add(parse(s.getAsJsonObject().getAsJsonArray("value").get(1).getAsString())));
                case "matrix" -> {
                    for (JsonElement s : result) {
                        series++;
                        for (JsonElement v : s.getAsJsonObject().getAsJsonArray("values")) {
                            if (Double.isFinite(parse(v.getAsJsonArray().get(1).getAsString()))) points++;
                        }
                    }
                }
                default -> throw new AssertionError("unexpected result " + data);
            }
        }
        return new Answer(values, series, points);
    }

    static double parse(String s) {
        return switch (s) {
            case "+Inf", "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Inf", "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }
}
