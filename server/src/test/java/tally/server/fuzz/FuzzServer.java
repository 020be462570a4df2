package tally.server.fuzz;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import tally.model.Labels;
import tally.server.config.ServerConfig;
import tally.server.otlp.Otlp;
import tally.server.testing.TestServer;
import tally.storage.TallyStorage;
import tally.storage.TaskStats;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A real Tally server (HTTP, gRPC, TallyStorage in a temporary directory) for the fuzz targets, and the checks that
 * its store is not damaged: a known-good "canary" export every few cases must be accepted whole, and
 * {@link #verify} reads back every canary and every sample of the data loaded before fuzzing (the recorded Claude
 * Code exports), checks that no background storage task failed, and after {@link #restart} (WAL replay, store reopened)
 * does it again. Flushes run every second so fuzzed samples reach the store, not only the head.
 * <p>
 * Canaries and checks are not part of the fuzzed traffic: they run between cases, on the same server.
 */
final class FuzzServer implements AutoCloseable {
    private static final String CANARY = "fuzz_canary";

    private final Path dir;
    private final Consumer<ServerConfig> tweak;
    private TestServer server;
    private final List<long[]> canaries = new ArrayList<>(); // {time ms, value bits}
    private long nextCanaryMs = SyntheticOtlp.T0_MS + 3_600_000L;
    private Map<Labels, NavigableMap<Long, Double>> baseline = Map.of();

    /** @param tweak the target's own settings (body limits...) on top of the test defaults */
    FuzzServer(Consumer<ServerConfig> tweak) throws Exception {
        this.dir = Files.createTempDirectory("tally-fuzz-");
        this.tweak = c -> {
            c.flushInterval = Duration.ofSeconds(1);
            // the recorded data and the canaries are 30 days inside the retention window on any date the tests run, so
            // a fuzzed timestamp that moves the window (the far-future bug) shows, and nothing else does
            c.retention = Duration.ofMillis(Math.max(0, System.currentTimeMillis() - SyntheticOtlp.T0_MS) + Duration.ofDays(30).toMillis());
            c.claudeCodeRules = false; // rule evaluation is not under test here, and would add its own series
            tweak.accept(c);
        };
        this.server = new TestServer(dir, this.tweak);
    }

    TestServer server() { return server; }

    /** Writes more data before the baseline is taken (the PromQL dataset). */
    @FunctionalInterface
    interface Loader {
        void load(TestServer s) throws Exception;
    }

    /** Loads the recorded Claude Code exports (every capture, metrics and logs) and remembers what was stored. */
    void loadBaseline() throws Exception {
        loadBaseline(s -> {});
    }

    /** As {@link #loadBaseline()}, with {@code extra} written too before the baseline is read back. */
    void loadBaseline(Loader extra) throws Exception {
        for (Seeds.Body b : Seeds.recorded()) {
            String path = b.signal() == Seeds.Signal.METRICS ? "/v1/metrics" : "/v1/logs";
            HttpResponse<byte[]> r = server.post(server.otlpUrl(path), b.json() ? "application/json" : "application/x-protobuf", null, b.bytes());
            if (r.statusCode() != 200) throw new AssertionError("baseline export refused: " + r.statusCode() + " " + new String(r.body()));
        }
        extra.load(server);
        baseline = server.all();
        if (baseline.isEmpty()) throw new AssertionError("baseline stored nothing");
    }

    /** Sends the next canary sample (an OTLP/HTTP gauge) and fails unless it is accepted whole. */
    void canary() throws IOException, InterruptedException {
        long t = nextCanaryMs;
        nextCanaryMs += 1000;
        double v = canaries.size();
        HttpResponse<byte[]> r = server.post(server.otlpUrl("/v1/metrics"), "application/x-protobuf", null, Otlp.gauge(CANARY, t, v));
        if (r.statusCode() != 200) {
            throw new AssertionError("known-good canary export #" + canaries.size() + " answered " + r.statusCode() + ": "
                    + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        ExportMetricsServiceResponse resp = ExportMetricsServiceResponse.parseFrom(r.body());
        if (resp.hasPartialSuccess() && resp.getPartialSuccess().getRejectedDataPoints() > 0) {
            throw new AssertionError("known-good canary export #" + canaries.size() + " refused: " + resp.getPartialSuccess().getErrorMessage());
        }
        canaries.add(new long[] {t, Double.doubleToRawLongBits(v)});
    }

    /** Every canary and baseline sample is still there with its value; no background storage task has failed. */
    void verify(String when) {
        Map<Labels, NavigableMap<Long, Double>> canarySeries = server.byName(CANARY);
        NavigableMap<Long, Double> stored = canarySeries.isEmpty() ? new java.util.TreeMap<>() : canarySeries.values().iterator().next();
        for (long[] c : canaries) {
            Double v = stored.get(c[0]);
            if (v == null || Double.doubleToRawLongBits(v) != c[1]) {
                throw new AssertionError(when + ": canary at " + c[0] + " is " + v + ", acknowledged " + Double.longBitsToDouble(c[1]));
            }
        }
        if (!baseline.isEmpty()) {
            Map<Labels, NavigableMap<Long, Double>> now = server.all();
            for (Map.Entry<Labels, NavigableMap<Long, Double>> e : baseline.entrySet()) {
                NavigableMap<Long, Double> s = now.get(e.getKey());
                if (s == null) throw new AssertionError(when + ": baseline series " + e.getKey() + " is gone");
                for (Map.Entry<Long, Double> p : e.getValue().entrySet()) {
                    Double v = s.get(p.getKey());
                    if (v == null || Double.doubleToRawLongBits(v) != Double.doubleToRawLongBits(p.getValue())) {
                        throw new AssertionError(when + ": baseline sample " + e.getKey() + " @ " + p.getKey() + " is " + v
                                + ", acknowledged " + p.getValue());
                    }
                }
            }
        }
        if (server.storage instanceof TallyStorage t) {
            for (TaskStats task : t.stats().tasks()) {
                if (task.failures() > 0) throw new AssertionError(when + ": storage task " + task.name() + " failed: " + task.lastError());
            }
        }
    }

    /** Closes the server and opens it again on the same directory (WAL replay, store reopened). */
    void restart() throws InterruptedException {
        server.close();
        server = new TestServer(dir, tweak);
    }

    @Override
    public void close() {
        server.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp dir is harmless
        }
    }
}
