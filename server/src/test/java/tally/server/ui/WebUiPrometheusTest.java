package tally.server.ui;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.server.testing.PromApi;
import tally.server.testing.PrometheusProcess;
import tally.server.testing.RemoteWriteEncoder;
import tally.server.testing.TestServer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The page over Debian's Prometheus 2.42 holding the same data as a Tally: the overview shows the same numbers.
 *
 * <p>The recorded Claude Code sessions go to a first Tally over OTLP (Prometheus 2.42 has no OTLP receiver and derives
 * nothing from events); every raw sample it stored, event-derived series included, is read back, moved to end twenty
 * minutes ago (inside Prometheus's head append window) and remote-written to a second Tally and to Prometheus.
 *
 * <p>Each counter also gets a 0 one second before its first sample. Without it, increase() over a session that starts
 * inside the range differs between the engines for a reason that is not the page's: Prometheus 2.51 changed the order
 * of the extrapolation limits (DESIGN.md section 6), and Tally follows 3.x. Measured without the zeros: cost 0.924 vs
 * 0.933 USD, active time 60.5 vs 63.9 s; every panel not built on increase() was already equal.
 */
class WebUiPrometheusTest {
    @Test
    void theOverviewShowsTheSameNumbersOverPrometheus(@TempDir Path dir) throws Exception {
        String binary = PrometheusProcess.onPath("prometheus");
        Assumptions.assumeTrue(binary != null, "skipped: prometheus is not on PATH (apt-get install prometheus)");
        try (Browser browser = Browser.startOrSkip();
             TestServer source = new TestServer(c -> c.claudeCodeRules = false);
             TestServer tally = new TestServer(c -> c.claudeCodeRules = false);
             PrometheusProcess prom = PrometheusProcess.start(binary, dir)) {
            RecordedClaudeCode recorded = RecordedClaudeCode.sendTo(source);
            Map<Map<String, String>, NavigableMap<Long, Double>> series = rawSamples(new PromApi(source.webUrl("")), recorded);
            long lastMs = series.values().stream().mapToLong(NavigableMap::lastKey).max().orElseThrow();
            long shiftMs = (System.currentTimeMillis() - 20 * 60_000L - lastMs) / 1000 * 1000; // whole seconds: sub-second offsets stay
            Map<Map<String, String>, NavigableMap<Long, Double>> shifted = new HashMap<>();
            series.forEach((labels, samples) -> {
                NavigableMap<Long, Double> s = new TreeMap<>();
                samples.forEach((t, v) -> s.put(t + shiftMs, v));
                if (isCounter(labels.get("__name__"))) s.put(s.firstKey() - 1000, 0.0);
                shifted.put(labels, s);
            });
            byte[] body = RemoteWriteEncoder.encode(shifted);
            for (String base : List.of(tally.webUrl(""), prom.url())) {
                PromApi.Reply r = new PromApi(base).post("/api/v1/write", "application/x-protobuf", "snappy", body);
                assertTrue(r.status() == 204 || r.status() == 200, base + ": " + r.status() + " " + r.body());
            }
            long from = recorded.fromS + shiftMs / 1000, to = recorded.toS + shiftMs / 1000;
            String range = "?from=" + from + "&to=" + to + "&refresh=off";

            browser.open(tally.webUrl("/" + range));
            List<OverviewPanels.Panel> onTally = OverviewPanels.read(browser, 1);
            browser.screenshot("overview-tally-side-by-side");
            try (PrometheusPageProxy proxy = new PrometheusPageProxy(tally.webUrl(""), prom.url())) {
                browser.open(proxy.url("/" + range));
                List<OverviewPanels.Panel> onProm = OverviewPanels.read(browser, 1);
                browser.screenshot("overview-prometheus");
                assertTrue(browser.consoleProblems().isEmpty(), "browser console over Prometheus");

                assertEquals(ids(onTally), ids(onProm), "the same panels, the events' included");
                List<String> differ = new ArrayList<>();
                int withData = 0;
                for (int i = 0; i < onTally.size(); i++) {
                    OverviewPanels.Panel t = onTally.get(i), p = onProm.get(i);
                    assertEquals(t.queries(), p.queries(), t.id() + ": the same queries");
                    if (t.state().equals("ok")) withData++;
                    if (!t.state().equals(p.state()) || t.series() != p.series() || t.points() != p.points()
                            || !close(sorted(t.values()), sorted(p.values()))) {
                        differ.add(t.id() + ": Tally " + t.state() + " " + t.values() + " " + t.series() + "/" + t.points()
                                + ", Prometheus " + p.state() + " " + p.values() + " " + p.series() + "/" + p.points());
                    }
                }
                assertTrue(differ.isEmpty(), String.join("\n", differ));
                // and what the page shows over Prometheus is Prometheus's answer, as over Tally it is Tally's
                PromApi promApi = new PromApi(prom.url());
                for (OverviewPanels.Panel p : onProm) {
                    OverviewPanels.Answer a = OverviewPanels.ask(promApi, p);
                    List<Double> expected = new ArrayList<>(a.values());
                    if (p.kind().equals("bars")) expected.removeIf(v -> v.isNaN());
                    if (p.kind().equals("stat") && !expected.isEmpty()) expected = List.of(expected.get(0));
                    assertEquals(sorted(expected), sorted(p.values()), p.id());
                    assertEquals(a.series(), p.series(), p.id());
                    assertEquals(a.points(), p.points(), p.id());
                }
                List<String> empty = onTally.stream().filter(p -> !p.state().equals("ok")).map(OverviewPanels.Panel::id).toList();
                // the zeros give each API error series two samples, so only the ratio to user time (always 0 here) stays empty
                assertEquals(List.of("productivity"), empty, "panels without data");
                assertTrue(withData >= 39, "panels with data: " + withData);
            }
        }
    }

    /** Every sample the source stored in the recorded range, by series (one range-vector query per metric name). */
    private static Map<Map<String, String>, NavigableMap<Long, Double>> rawSamples(PromApi api, RecordedClaudeCode r) throws Exception {
        Map<Map<String, String>, NavigableMap<Long, Double>> out = new HashMap<>();
        for (JsonElement name : api.get("/api/v1/label/__name__/values").data().getAsJsonArray()) {
            String q = "{__name__=\"" + name.getAsString() + "\"}[" + (r.toS - r.fromS + 60) + "s]";
            PromApi.Reply reply = api.query(q, r.toS);
            assertTrue(reply.success(), reply.body());
            for (JsonElement s : reply.data().getAsJsonObject().getAsJsonArray("result")) {
                JsonObject o = s.getAsJsonObject();
                Map<String, String> labels = new TreeMap<>();
                o.getAsJsonObject("metric").entrySet().forEach(e -> labels.put(e.getKey(), e.getValue().getAsString()));
                NavigableMap<Long, Double> samples = out.computeIfAbsent(labels, k -> new TreeMap<>());
                for (JsonElement v : o.getAsJsonArray("values")) {
                    samples.put(Math.round(v.getAsJsonArray().get(0).getAsDouble() * 1000), OverviewPanels.parse(v.getAsJsonArray().get(1).getAsString()));
                }
            }
        }
        assertTrue(out.size() > 100, "series copied: " + out.size());
        return out;
    }

    private static boolean isCounter(String name) {
        return name.endsWith("_total") || name.endsWith("_bucket") || name.endsWith("_count") || name.endsWith("_sum");
    }

    private static List<String> ids(List<OverviewPanels.Panel> panels) {
        return panels.stream().map(OverviewPanels.Panel::id).toList();
    }

    private static List<Double> sorted(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(Double::compare);
        return s;
    }

    /** Equal but for the last bits of floating point (the engines sum in different orders). */
    private static boolean close(List<Double> a, List<Double> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) {
            double x = a.get(i), y = b.get(i);
            if (Double.compare(x, y) == 0) continue;
            if (Math.abs(x - y) > 1e-9 * Math.max(Math.abs(x), Math.abs(y))) return false;
        }
        return true;
    }
}
