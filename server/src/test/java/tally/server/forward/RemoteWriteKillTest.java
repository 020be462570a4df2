package tally.server.forward;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Labels;
import tally.server.testing.RemoteWriteEncoder;
import tally.server.testing.TallyProcess;

/**
 * Tally killed with SIGKILL five times while it forwards: every sample Tally acknowledged to its client reaches the
 * target, and what the target gets twice stays inside the documented window (what the target acknowledged in the
 * last moments before each kill: the saved position trails the acknowledgements by the 200 ms save interval and
 * the batches in flight; 2 s of acknowledged writes bound it here, leaving room for a slow machine).
 */
class RemoteWriteKillTest {
    @TempDir
    Path dir;

    @Test
    void fiveKillsLoseNothingAndResendLittle() throws Exception {
        try (RecordingReceiver receiver = new RecordingReceiver()) {
            Path yml = dir.resolve("prometheus.yml");
            Files.writeString(yml, String.join("\n",
                    "remote_write:",
                    "  - url: " + receiver.url(),
                    "    name: kill-test",
                    "    queue_config: {batch_send_deadline: 100ms, max_samples_per_send: 500, min_backoff: 10ms, max_backoff: 200ms}",
                    "    metadata_config: {send: false}",
                    ""));
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            Map<Labels, NavigableMap<Long, Double>> acked = new HashMap<>();
            List<long[]> ackTimes = new ArrayList<>(); // {wall ms, samples}
            List<Long> kills = new ArrayList<>();
            long t = System.currentTimeMillis() - 3_600_000;
            try (TallyProcess tally = TallyProcess.start(dir.resolve("data"), List.of("-Xmx256m"), List.of("--config.file=" + yml))) {
                int rounds = Integer.getInteger("tally.killTest.kills", 5);
                long writeMillis = Long.getLong("tally.killTest.writeMillis", 1500);
                for (int round = 0; round <= rounds; round++) {
                    long until = System.currentTimeMillis() + writeMillis;
                    while (System.currentTimeMillis() < until) {
                        Map<Map<String, String>, NavigableMap<Long, Double>> batch = new HashMap<>();
                        for (int s = 0; s < 50; s++) {
                            batch.put(Map.of("__name__", "kill_test_total", "series", "s" + s), new TreeMap<>(Map.of(t, (double) t + s)));
                        }
                        t += 1000;
                        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(tally.web("/api/v1/write")))
                                .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(RemoteWriteEncoder.encode(batch))).build(),
                                HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() != 204) continue; // not acknowledged: not owed to the target
                        batch.forEach((k, v) -> acked.computeIfAbsent(Labels.fromMap(k), x -> new TreeMap<>()).putAll(v));
                        ackTimes.add(new long[] {System.currentTimeMillis(), 50, t - 1000});
                    }
                    if (round < rounds) {
                        kills.add(System.currentTimeMillis());
                        tally.killHard();
                        tally.restart();
                    }
                }
                long total = acked.values().stream().mapToLong(Map::size).sum();
                long deadline = System.currentTimeMillis() + 60_000;
                while (count(receiver.byName("kill_test_total"), acked) < total && System.currentTimeMillis() < deadline) Thread.sleep(100);
                Map<Labels, NavigableMap<Long, Double>> got = receiver.byName("kill_test_total");
                if (count(got, acked) < total) {
                    String status = client.send(HttpRequest.newBuilder(URI.create(tally.web("/api/v1/status/remote_write"))).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                    fail("every acknowledged sample reached the target; missing " + missing(got, acked) + "; acknowledged at (wall ms, data t) "
                            + ackTimes.stream().map(a -> a[0] + "/" + a[2]).toList() + "; kills at " + kills
                            + "; status " + status + "; tally log:\n" + tail(tally.log()));
                }
                RemoteWriteReceiversTest.assertEqualSeries(acked, got, 0, "receiver");
                // the window: what Tally acknowledged in the 2 s before each kill bounds what can be resent
                long window = 0;
                for (long k : kills) for (long[] a : ackTimes) if (a[0] > k - 2000 && a[0] <= k) window += a[1];
                System.out.printf("remote-write kill test: %d samples acknowledged, %d kills, %d received, %d duplicates (window %d)%n",
                        total, kills.size(), receiver.received.get(), receiver.duplicates.get(), window);
                assertTrue(receiver.duplicates.get() <= window, "duplicates " + receiver.duplicates.get() + " within the window " + window);
            }
        }
    }

    private static long count(Map<Labels, NavigableMap<Long, Double>> got, Map<Labels, NavigableMap<Long, Double>> want) {
        long n = 0;
        for (Map.Entry<Labels, NavigableMap<Long, Double>> e : want.entrySet()) {
            NavigableMap<Long, Double> g = got.get(e.getKey());
            if (g == null) continue;
            for (Long ts : e.getValue().keySet()) if (g.containsKey(ts)) n++;
        }
        return n;
    }

    /** The first few acknowledged samples the receiver lacks, by timestamp (and how many in all). */
    private static String missing(Map<Labels, NavigableMap<Long, Double>> got, Map<Labels, NavigableMap<Long, Double>> want) {
        java.util.TreeMap<Long, Integer> byTime = new java.util.TreeMap<>();
        for (Map.Entry<Labels, NavigableMap<Long, Double>> e : want.entrySet()) {
            NavigableMap<Long, Double> g = got.getOrDefault(e.getKey(), new TreeMap<>());
            for (Long ts : e.getValue().keySet()) if (!g.containsKey(ts)) byTime.merge(ts, 1, Integer::sum);
        }
        return byTime.size() + " timestamps " + byTime.entrySet().stream().limit(10).toList();
    }

    private static String tail(String log) {
        return log.length() <= 4000 ? log : log.substring(log.length() - 4000);
    }
}
