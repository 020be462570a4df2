package tally.server.forward;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.forward.ForwardStats;
import tally.forward.Forwarder;
import tally.forward.RemoteWriteConfig;
import tally.forward.wire.ProtobufMessage;
import tally.model.Labels;
import tally.server.testing.ClaudeCodePayloads;
import tally.server.testing.PrometheusProcess;
import tally.server.testing.TestServer;
import tally.server.testing.VictoriaMetricsProcess;

/**
 * Exactness against real receivers: Tally ingests the recorded Claude Code payloads (OTLP, delta turned cumulative)
 * and a synthetic remote-write load, and forwards to Debian's victoria-metrics 1.79 and prometheus 2.42 (its
 * remote-write receiver on) at once. What each receiver holds afterwards equals what Tally holds, series by series
 * and sample by sample. Skipped, saying so, when either binary is missing.
 */
class RemoteWriteReceiversTest {
    @TempDir
    Path dir;

    @Test
    void victoriaMetricsAndPrometheusHoldExactlyWhatTallyHolds() throws Exception {
        String prometheus = PrometheusProcess.onPath("prometheus");
        Assumptions.assumeTrue(VictoriaMetricsProcess.binary() != null, "victoria-metrics is not on PATH (apt-get install victoria-metrics): skipping");
        Assumptions.assumeTrue(prometheus != null, "prometheus is not on PATH (apt-get install prometheus): skipping");
        Files.createDirectories(dir.resolve("vm"));
        Files.createDirectories(dir.resolve("prom"));
        try (VictoriaMetricsProcess vm = VictoriaMetricsProcess.start(dir.resolve("vm"));
             PrometheusProcess prom = PrometheusProcess.start(prometheus, dir.resolve("prom"))) {
            RemoteWriteConfig toVm = named(RemoteWriteOutTest.target(vm.writeUrl(), ProtobufMessage.V1), "vm");
            // 2.0 asked of a 2.42 receiver: it answers 2xx without the Written headers, and the sender falls back to 1.0
            RemoteWriteConfig toProm = named(RemoteWriteOutTest.target(prom.url() + "/api/v1/write", ProtobufMessage.V2), "prom");
            try (TestServer tally = TestServer.opened(dir.resolve("tally"), c -> {
                RemoteWriteOutTest.forwardingTo(toVm, Map.of("tally", "edge-1")).accept(c);
                c.remoteWrite = List.of(toVm, toProm);
            })) {
                long maxT = replayClaudeCode(tally);
                var synthetic = RemoteWriteOutTest.load(200, 30, maxT + 60_000, "synthetic");
                RemoteWriteOutTest.write(tally, synthetic);
                Map<Labels, NavigableMap<Long, Double>> held = withExternal(tally.all(), "tally", "edge-1");
                long total = held.values().stream().mapToLong(Map::size).sum();
                assertTrue(total >= 6000 + 400, "Tally holds the load: " + total);
                for (Forwarder f : tally.server.remoteWrite().forwarders()) awaitSent(f, total);

                Map<Labels, NavigableMap<Long, Double>> atVm = vm.export();
                assertEqualSeries(held, atVm, 1e-12, "victoria-metrics");
                Map<Labels, NavigableMap<Long, Double>> atProm = prometheusHolds(prom, held);
                assertEqualSeries(held, atProm, 0, "prometheus");
                Forwarder promForwarder = tally.server.remoteWrite().forwarders().get(1);
                assertEquals("1.0", promForwarder.stats().protocol(), "2.42 does not speak 2.0: the sender fell back");
                for (Forwarder f : tally.server.remoteWrite().forwarders()) {
                    assertEquals(0, f.stats().samplesFailed.sum(), f.name());
                }
            }
        }
    }

    static RemoteWriteConfig named(RemoteWriteConfig t, String name) {
        return new RemoteWriteConfig(t.url(), name, t.remoteTimeout(), t.headers(), t.authorization(), t.sslContext(), t.tlsServerName(),
                t.writeRelabelConfigs(), t.queue(), t.metadata(), t.protobufMessage());
    }

    /** Posts every recorded metrics export, captures in the order they were made; returns the newest sample time. */
    static long replayClaudeCode(TestServer tally) throws Exception {
        List<List<ClaudeCodePayloads.Payload>> captures = new ArrayList<>();
        for (String c : ClaudeCodePayloads.CAPTURES) {
            List<ClaudeCodePayloads.Payload> p = ClaudeCodePayloads.load(c);
            if (!ClaudeCodePayloads.series(p).isEmpty()) captures.add(p);
        }
        captures.sort(Comparator.comparingLong(p -> ClaudeCodePayloads.timeSpan(ClaudeCodePayloads.series(p))[0]));
        long maxT = 0;
        for (List<ClaudeCodePayloads.Payload> capture : captures) {
            for (ClaudeCodePayloads.Payload p : capture) {
                int status = tally.post(tally.otlpUrl("/v1/metrics"), p.contentType(), p.contentEncoding(), p.wire()).statusCode();
                assertEquals(200, status, p.name());
            }
            maxT = Math.max(maxT, ClaudeCodePayloads.timeSpan(ClaudeCodePayloads.series(capture))[1]);
        }
        return maxT;
    }

    static Map<Labels, NavigableMap<Long, Double>> withExternal(Map<Labels, NavigableMap<Long, Double>> in, String name, String value) {
        Map<Labels, NavigableMap<Long, Double>> out = new HashMap<>();
        in.forEach((l, s) -> out.put(l.has(name) ? l : l.toBuilder().set(name, value).build(), s));
        return out;
    }

    static void awaitSent(Forwarder f, long total) throws InterruptedException {
        ForwardStats st = f.stats();
        long deadline = System.currentTimeMillis() + 60_000;
        while (st.samplesSent.sum() < total && System.currentTimeMillis() < deadline) Thread.sleep(50);
        assertEquals(total, st.samplesSent.sum(), f.name() + " sent everything; last error: " + st.lastError());
    }

    /**
     * Waits until the target answered for every sample, taken or refused: a batch whose answer a cut connection lost
     * is sent again, and a receiver that refuses samples older than its newest (Prometheus, Tally) refuses the
     * repeat with 400 although it holds the samples. What the receiver holds is checked separately.
     */
    static void awaitAnswered(Forwarder f, long total) throws InterruptedException {
        ForwardStats st = f.stats();
        long deadline = System.currentTimeMillis() + 60_000;
        while (st.samplesSent.sum() + st.samplesFailed.sum() < total && System.currentTimeMillis() < deadline) Thread.sleep(50);
        assertEquals(total, st.samplesSent.sum() + st.samplesFailed.sum(), f.name() + " answered for everything; last error: " + st.lastError());
    }

    static void assertEqualSeries(Map<Labels, NavigableMap<Long, Double>> want, Map<Labels, NavigableMap<Long, Double>> got,
                                  double relTolerance, String who) {
        assertEquals(new TreeMap<>(want).keySet(), new TreeMap<>(got).keySet(), who + ": the same series");
        for (Map.Entry<Labels, NavigableMap<Long, Double>> e : want.entrySet()) {
            NavigableMap<Long, Double> g = got.get(e.getKey());
            assertEquals(e.getValue().keySet(), g.keySet(), who + ": timestamps of " + e.getKey());
            for (Map.Entry<Long, Double> s : e.getValue().entrySet()) {
                double w = s.getValue(), v = g.get(s.getKey());
                if (relTolerance == 0) {
                    assertEquals(Double.doubleToLongBits(w), Double.doubleToLongBits(v), who + ": " + e.getKey() + " at " + s.getKey());
                } else {
                    assertEquals(w, v, Math.abs(w) * relTolerance, who + ": " + e.getKey() + " at " + s.getKey());
                }
            }
        }
    }

    /** Every raw sample Prometheus holds in the span of {@code like}'s samples: a range selector over all series. */
    static Map<Labels, NavigableMap<Long, Double>> prometheusHolds(PrometheusProcess prom, Map<Labels, NavigableMap<Long, Double>> like)
            throws Exception {
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        for (NavigableMap<Long, Double> s : like.values()) {
            min = Math.min(min, s.firstKey());
            max = Math.max(max, s.lastKey());
        }
        long rangeSeconds = (max - min) / 1000 + 10;
        String q = "{__name__=~\".+\",__name__!~\"(up|scrape_.*)\"}[" + rangeSeconds + "s]";
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(prom.url() + "/api/v1/query?query="
                + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&time=" + (max / 1000.0 + 1))).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        Map<Labels, NavigableMap<Long, Double>> out = new HashMap<>();
        for (JsonElement e : JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonObject("data").getAsJsonArray("result")) {
            JsonObject o = e.getAsJsonObject();
            Map<String, String> labels = new TreeMap<>();
            o.getAsJsonObject("metric").entrySet().forEach(x -> labels.put(x.getKey(), x.getValue().getAsString()));
            NavigableMap<Long, Double> s = new TreeMap<>();
            for (JsonElement v : o.getAsJsonArray("values")) {
                s.put(Math.round(v.getAsJsonArray().get(0).getAsDouble() * 1000), Double.parseDouble(v.getAsJsonArray().get(1).getAsString()));
            }
            out.put(Labels.fromMap(labels), s);
        }
        return out;
    }
}
