package tally.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.server.testing.PromApi;
import tally.server.testing.RemoteWriteEncoder;
import tally.server.testing.TallyProcess;

/**
 * Issue 10: a failure in the background sealer is loud and survivable. With every seal failing (fault injection,
 * {@code -Dtally.fault.seal.failures=-1}), a Tally fed past days (blocks kept in the heap until sealed) logs and
 * counts the failures on /metrics, writes those blocks to maps instead, keeps checkpointing its WAL and answers
 * queries; killed and restarted without the fault over the same directory, it has every sample and seals the blocks.
 */
class SealFailureTest {
    /** 2020-01-01: three past days, each a heap block until sealed. */
    private static final long T0 = 1_577_836_800_000L;
    private static final int SERIES = 50;
    private static final int STEPS = 3 * 24 * 6; // every 10 minutes for three days

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void sealingThatAlwaysFailsStopsNeitherCheckpointsNorQueriesAndARestartRecovers() throws Exception {
        Path data = tmp.resolve("data");
        TallyProcess tally = TallyProcess.start(data, List.of("-Xmx256m", "-Dtally.fault.seal.failures=-1"),
                List.of("--storage.flush-interval=1s", "--storage.retention=3650d"));
        try {
            for (int day = 0; day < 3; day++) write(tally, day);
            double checkpointsAtFirstFailure = waitFor(tally, "tally_storage_task_failures_total{task=\"seal\"}", 1);
            double checkpoints = metric(tally, "tally_head_checkpoints_total");
            waitFor(tally, "tally_storage_heap_blocks_spilled_total", 1);
            // checkpoints go on after the failures: the WAL is not held back by blocks that will not seal
            waitFor(tally, "tally_head_checkpoints_total", checkpoints + 3);
            assertTrue(checkpointsAtFirstFailure >= 1);
            assertTrue(tally.log().contains("injected sealing failure"), "the failure is logged with its cause");
            assertTrue(tally.log().contains("writing it to maps instead"), tally.log());
            checkAll(tally);
            // every sample is out of the WAL: in blocks on disk (maps) or in the head, and the WAL is small again
            assertTrue(metric(tally, "tally_wal_size_bytes") < 4 << 20, "WAL " + metric(tally, "tally_wal_size_bytes"));

            tally.killHard();
            tally = TallyProcess.start(data, List.of("-Xmx256m"), List.of("--storage.flush-interval=1s", "--storage.retention=3650d"));
            checkAll(tally);
            // without the fault, the spilled blocks are sealed (only the newest day's block may stay open)
            waitForAtMost(tally, "tally_storage_blocks_open", 1);
            assertEquals(0, metric(tally, "tally_storage_task_failures_total{task=\"seal\"}"));
            checkAll(tally);
        } finally {
            tally.close();
        }
    }

    private void write(TallyProcess tally, int day) throws IOException, InterruptedException {
        Map<Map<String, String>, NavigableMap<Long, Double>> series = new LinkedHashMap<>();
        for (int k = 0; k < SERIES; k++) {
            NavigableMap<Long, Double> samples = new TreeMap<>();
            for (int i = day * STEPS / 3; i < (day + 1) * STEPS / 3; i++) samples.put(T0 + i * 600_000L, (double) (k + i));
            series.put(new TreeMap<>(Map.of("__name__", "sealed_metric", "k", Integer.toString(k))), samples);
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(tally.web("/api/v1/write")))
                .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                .POST(HttpRequest.BodyPublishers.ofByteArray(RemoteWriteEncoder.encode(series))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, r.statusCode(), r.body());
    }

    /** Every series has every sample: count and sum of each series over the three days. */
    private void checkAll(TallyProcess tally) throws Exception {
        PromApi api = new PromApi(tally.web(""));
        double end = (T0 + (STEPS - 1) * 600_000L + 1) / 1000.0; // the last sample, 1 ms after: the window reaches T0
        PromApi.Reply r = api.query("count_over_time(sealed_metric[3d])", end);
        assertTrue(r.success(), r.body());
        var result = r.data().getAsJsonObject().getAsJsonArray("result");
        assertEquals(SERIES, result.size(), r.body());
        for (var e : result) {
            assertEquals(Integer.toString(STEPS), e.getAsJsonObject().getAsJsonArray("value").get(1).getAsString(), e.toString());
        }
        PromApi.Reply sum = api.query("sum(sum_over_time(sealed_metric[3d]))", end);
        long want = 0;
        for (int k = 0; k < SERIES; k++) for (int i = 0; i < STEPS; i++) want += k + i;
        assertEquals(Long.toString(want), sum.data().getAsJsonObject().getAsJsonArray("result").get(0)
                .getAsJsonObject().getAsJsonArray("value").get(1).getAsString(), sum.body());
    }

    private double waitFor(TallyProcess tally, String name, double atLeast) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        double v;
        while ((v = metric(tally, name)) < atLeast) {
            assertTrue(System.nanoTime() < deadline, name + " = " + v + ", waited for >= " + atLeast + "\n" + tally.log());
            Thread.sleep(100);
        }
        return v;
    }

    private void waitForAtMost(TallyProcess tally, String name, double atMost) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        double v;
        while ((v = metric(tally, name)) > atMost) {
            assertTrue(System.nanoTime() < deadline, name + " = " + v + ", waited for <= " + atMost + "\n" + tally.log());
            Thread.sleep(200);
        }
    }

    /** One sample of /metrics by its full name (with labels), 0 when absent. */
    private double metric(TallyProcess tally, String name) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(tally.web("/metrics"))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        for (String line : r.body().split("\n")) {
            if (line.startsWith(name + " ")) return Double.parseDouble(line.substring(name.length() + 1));
        }
        return 0;
    }
}
