package tally.server.e2e;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tally.server.testing.PromApi;
import tally.server.testing.PrometheusProcess;
import tally.server.testing.RemoteWriteEncoder;
import tally.server.testing.TestServer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Debian's {@code promtool query instant|range|labels|series} (2.42) pointed at a running Tally. */
class PromtoolTest {

    @Test
    void promtoolQueriesTally() throws Exception {
        String promtool = PrometheusProcess.onPath("promtool");
        Assumptions.assumeTrue(promtool != null, "skipped: promtool is not on PATH (apt-get install prometheus)");
        long t0 = System.currentTimeMillis() / 60_000 * 60_000 - 600_000; // 10 minutes ago, a whole minute
        Map<Map<String, String>, NavigableMap<Long, Double>> data = new TreeMap<>(java.util.Comparator.comparing(Object::toString));
        NavigableMap<Long, Double> ok = new TreeMap<>(), failed = new TreeMap<>();
        for (int i = 0; i < 5; i++) {
            ok.put(t0 + i * 60_000L, 10.0 * (i + 1));
            failed.put(t0 + i * 60_000L, (double) i);
        }
        data.put(Map.of("__name__", "e2e_requests_total", "job", "api", "code", "200"), ok);
        data.put(Map.of("__name__", "e2e_requests_total", "job", "api", "code", "500"), failed);
        try (TestServer tally = new TestServer()) {
            PromApi api = new PromApi(tally.webUrl(""));
            assertEquals(204, api.post("/api/v1/write", "application/x-protobuf", "snappy", RemoteWriteEncoder.encode(data)).status());
            String server = tally.webUrl("");
            long at = t0 / 1000 + 240;

            assertEquals(List.of(
                            "e2e_requests_total{code=\"200\", job=\"api\"} => 50 @[" + at + "]",
                            "e2e_requests_total{code=\"500\", job=\"api\"} => 4 @[" + at + "]"),
                    run(promtool, "query", "instant", "--time=" + at, server, "e2e_requests_total"));
            // 5 samples 10..50 over 240 s; extrapolated 60 s back to the window start: 40 * 300 / 240
            assertEquals(List.of("{code=\"200\"} => 50 @[" + at + "]"),
                    run(promtool, "query", "instant", "--time=" + at, server, "sum by (code) (increase(e2e_requests_total{code=\"200\"}[5m]))"));
            assertEquals(List.of("scalar: 2 @[" + at + "]"), run(promtool, "query", "instant", "--time=" + at, server, "1+1"));

            assertEquals(List.of("{code=\"500\"} =>", "2 @[" + (at - 120) + "]", "3 @[" + (at - 60) + "]", "4 @[" + at + "]"),
                    run(promtool, "query", "range", "--start=" + (at - 120), "--end=" + at, "--step=1m", server,
                            "sum by (code) (e2e_requests_total{code=\"500\"})"));

            assertEquals(List.of("200", "500"), run(promtool, "query", "labels", server, "code"));
            assertEquals(List.of("{__name__=\"e2e_requests_total\", code=\"200\", job=\"api\"}",
                            "{__name__=\"e2e_requests_total\", code=\"500\", job=\"api\"}"),
                    run(promtool, "query", "series", "--match=e2e_requests_total", server));
        }
    }

    /** Runs promtool; returns its stdout lines (fails on a non-zero exit). */
    private static List<String> run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool finished");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
        List<String> lines = new ArrayList<>();
        for (String l : out.split("\n")) if (!l.isBlank()) lines.add(l.strip());
        return lines;
    }
}
