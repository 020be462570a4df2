package tally.server.forward;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.forward.ForwardStats;
import tally.forward.RemoteWriteConfig;
import tally.forward.wire.ProtobufMessage;
import tally.model.Labels;
import tally.server.config.RuleSettings;
import tally.server.config.ServerConfig;
import tally.server.testing.RemoteWriteEncoder;
import tally.server.testing.TestServer;

/** Tally forwarding its WAL to remote-write receivers: another Tally, and stubs that fail in the ways targets fail. */
class RemoteWriteOutTest {
    @TempDir
    Path dir;

    /** {@code series} series of {@code n} samples each, from {@code t0} on, 15 s apart. */
    static Map<Map<String, String>, NavigableMap<Long, Double>> load(int series, int n, long t0, String run) {
        Map<Map<String, String>, NavigableMap<Long, Double>> m = new java.util.LinkedHashMap<>();
        for (int s = 0; s < series; s++) {
            NavigableMap<Long, Double> samples = new TreeMap<>();
            for (int i = 0; i < n; i++) samples.put(t0 + i * 15_000L, s * 1000.0 + i + 0.5);
            m.put(Map.of("__name__", "fwd_test_total", "series", "s" + s, "run", run), samples);
        }
        return m;
    }

    static RemoteWriteConfig target(String url, ProtobufMessage message) {
        RemoteWriteConfig d = RemoteWriteConfig.of(URI.create(url), "test");
        RemoteWriteConfig.QueueConfig q = new RemoteWriteConfig.QueueConfig(500, 4, 1, 100, Duration.ofMillis(50),
                Duration.ofMillis(10), Duration.ofMillis(200), true, Duration.ZERO);
        return new RemoteWriteConfig(d.url(), d.name(), Duration.ofSeconds(5), Map.of(), null, null, null, List.of(), q,
                new RemoteWriteConfig.MetadataConfig(false, Duration.ofMinutes(1), 100), message);
    }

    static Consumer<ServerConfig> forwardingTo(RemoteWriteConfig t, Map<String, String> external) {
        return c -> {
            c.remoteWrite = List.of(t);
            c.claudeCodeRules = false;
            RuleSettings r = c.rules;
            c.rules = new RuleSettings(r.evaluationIntervalMs(), r.ruleQueryOffsetMs(), external, r.ruleFilesGiven(), r.ruleFilePatterns(),
                    r.baseDir(), r.alertmanagers());
        };
    }

    static void write(TestServer s, Map<Map<String, String>, NavigableMap<Long, Double>> load) throws Exception {
        int status = s.post(s.webUrl("/api/v1/write"), "application/x-protobuf", "snappy", RemoteWriteEncoder.encode(load)).statusCode();
        assertEquals(204, status);
    }

    /** Waits until the receiver holds {@code want} samples of fwd_test_total (or times out) and returns what it holds. */
    static Map<Labels, NavigableMap<Long, Double>> await(TestServer receiver, long want) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        Map<Labels, NavigableMap<Long, Double>> got;
        do {
            got = receiver.byName("fwd_test_total");
            if (got.values().stream().mapToLong(Map::size).sum() >= want) return got;
            Thread.sleep(50);
        } while (System.currentTimeMillis() < deadline);
        return got;
    }

    static void assertSame(Map<Map<String, String>, NavigableMap<Long, Double>> sent, Map<Labels, NavigableMap<Long, Double>> got,
                           Map<String, String> external) {
        assertEquals(sent.size(), got.size(), "series");
        for (Map.Entry<Map<String, String>, NavigableMap<Long, Double>> e : sent.entrySet()) {
            Map<String, String> l = new TreeMap<>(external);
            l.putAll(e.getKey());
            assertEquals(e.getValue(), got.get(Labels.fromMap(l)), "samples of " + l);
        }
    }

    @Test
    void forwardsEverySampleWithExternalLabelsToAnotherTally() throws Exception {
        try (TestServer receiver = new TestServer()) {
            Map<String, String> external = Map.of("cluster", "team-a");
            try (TestServer sender = TestServer.opened(dir, forwardingTo(target(receiver.webUrl("/api/v1/write"), ProtobufMessage.V1), external))) {
                long t0 = System.currentTimeMillis() - 3_600_000;
                var sent = load(40, 25, t0, "one");
                write(sender, sent);
                assertSame(sent, await(receiver, 1000), external);
                ForwardStats st = sender.server.remoteWrite().forwarders().get(0).stats();
                assertEquals(1000, st.samplesSent.sum());
                assertEquals(0, st.samplesFailed.sum());
                String status = sender.get(sender.webUrl("/api/v1/status/remote_write")).body();
                assertTrue(status.contains("\"samplesSent\":1000"), status);
                String metrics = sender.get(sender.webUrl("/metrics")).body();
                assertTrue(metrics.contains("prometheus_remote_storage_samples_total{remote_name=\"test\""), metrics);
            }
        }
    }

    @Test
    void remoteWrite20BetweenTwoTallysKeepsTheSamplesAndTheMetadata() throws Exception {
        try (TestServer receiver = new TestServer()) {
            try (TestServer sender = TestServer.opened(dir, forwardingTo(target(receiver.webUrl("/api/v1/write"), ProtobufMessage.V2),
                    Map.of()))) {
                // a name missing from the metadata snapshot refreshes it at most once a second: start after that second
                Thread.sleep(1100);
                long maxT = RemoteWriteReceiversTest.replayClaudeCode(sender);
                var sent = load(40, 25, maxT + 60_000, "v2");
                write(sender, sent);
                Map<Labels, NavigableMap<Long, Double>> held = sender.all();
                long total = held.values().stream().mapToLong(Map::size).sum();
                tally.forward.Forwarder f = sender.server.remoteWrite().forwarders().get(0);
                RemoteWriteReceiversTest.awaitSent(f, total);
                assertEquals("2.0", f.stats().protocol(), "Tally's receiver speaks 2.0: no fallback");
                RemoteWriteReceiversTest.assertEqualSeries(held, receiver.all(), 0, "Tally over 2.0");
                assertEquals(sender.metadata().get("claude_code_cost_usage_USD_total"), receiver.metadata().get("claude_code_cost_usage_USD_total"),
                        "2.0 carries each series' metadata");
            }
        }
    }

    @Test
    void writeRelabelingDropsAndRewritesWhatIsSent() throws Exception {
        try (TestServer receiver = new TestServer()) {
            RemoteWriteConfig t = target(receiver.webUrl("/api/v1/write"), ProtobufMessage.V1);
            RemoteWriteConfig relabeled = new RemoteWriteConfig(t.url(), t.name(), t.remoteTimeout(), t.headers(), null, null, null, List.of(
                    tally.forward.relabel.RelabelConfig.of("drop", List.of("series"), "s[0-4]", null, null),
                    tally.forward.relabel.RelabelConfig.of("replace", List.of("run"), "(.*)", "origin", "edge-$1"),
                    tally.forward.relabel.RelabelConfig.of("labeldrop", List.of(), "run", null, null)),
                    t.queue(), t.metadata(), t.protobufMessage());
            try (TestServer sender = TestServer.opened(dir, forwardingTo(relabeled, Map.of()))) {
                write(sender, load(10, 5, System.currentTimeMillis() - 600_000, "r"));
                Map<Labels, NavigableMap<Long, Double>> got = await(receiver, 25);
                assertEquals(5, got.size(), "s0-s4 dropped: " + got.keySet());
                for (Labels l : got.keySet()) {
                    assertEquals("edge-r", l.get("origin"));
                    assertNull(l.get("run"));
                }
                tally.forward.Forwarder f = sender.server.remoteWrite().forwarders().get(0);
                long deadline = System.currentTimeMillis() + 10_000;
                while (f.stats().samplesDropped.sum() < 25 && System.currentTimeMillis() < deadline) Thread.sleep(20);
                assertEquals(25, f.stats().samplesDropped.sum());
            }
        }
    }

    @Test
    void aTargetThatNeverAnswersDoesNotSlowIngest() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        HttpServer stuck = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stuck.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        stuck.createContext("/", ex -> {
            try {
                release.await(); // holds every request until the test ends
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        stuck.start();
        try {
            RemoteWriteConfig t = target("http://127.0.0.1:" + stuck.getAddress().getPort() + "/api/v1/write", ProtobufMessage.V1);
            try (TestServer sender = TestServer.opened(dir, forwardingTo(t, Map.of()))) {
                long t0 = System.currentTimeMillis() - 3_600_000;
                for (int i = 0; i < 60; i++) write(sender, load(50, 1, t0 + i * 15_000L, "stuck")); // each answered 204
                assertEquals(60 * 50, sender.byName("fwd_test_total").values().stream().mapToLong(Map::size).sum(),
                        "everything was ingested while the target held every request");
                tally.forward.Forwarder f = sender.server.remoteWrite().forwarders().get(0);
                assertEquals(0, f.stats().samplesSent.sum());
            }
        } finally {
            release.countDown();
            stuck.stop(0);
        }
    }

    @Test
    void aReloadAddsAndRemovesTargets() throws Exception {
        Path yml = dir.resolve("prometheus.yml");
        java.nio.file.Files.writeString(yml, "global:\n  external_labels: {edge: a}\n");
        try (TestServer receiver = new TestServer();
             TestServer sender = TestServer.opened(dir.resolve("data"), c -> {
                 c.configFile = yml.toString();
                 c.claudeCodeRules = false;
             })) {
            assertTrue(sender.server.remoteWrite().forwarders().isEmpty());
            java.nio.file.Files.writeString(yml, String.join("\n", "global:", "  external_labels: {edge: a}", "remote_write:",
                    "  - url: " + receiver.webUrl("/api/v1/write"), "    name: added",
                    "    queue_config: {batch_send_deadline: 50ms}", ""));
            assertTrue(sender.server.rules().reload(), String.valueOf(sender.server.rules().lastError()));
            assertEquals("added", sender.server.remoteWrite().forwarders().get(0).name());
            var sent = load(5, 10, System.currentTimeMillis() - 600_000, "reload");
            write(sender, sent);
            assertSame(sent, await(receiver, 50), Map.of("edge", "a"));
            java.nio.file.Files.writeString(yml, "global:\n  external_labels: {edge: a}\n");
            assertTrue(sender.server.rules().reload());
            assertTrue(sender.server.remoteWrite().forwarders().isEmpty(), "the removed target stopped");
        }
    }

    @Test
    void aTargetThatWasDownGetsEverythingAfterARestartOfTally() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        RemoteWriteConfig t = target("http://127.0.0.1:" + port + "/api/v1/write", ProtobufMessage.V1);
        long t0 = System.currentTimeMillis() - 3_600_000;
        var first = load(30, 20, t0, "restart");
        var second = load(30, 20, t0 + 20 * 15_000L, "restart");
        try (TestServer sender = TestServer.opened(dir, forwardingTo(t, Map.of()))) {
            write(sender, first); // the target is down: retried, never acknowledged
            long deadline = System.currentTimeMillis() + 10_000;
            ForwardStats st = sender.server.remoteWrite().forwarders().get(0).stats();
            while (st.samplesRetried.sum() == 0 && System.currentTimeMillis() < deadline) Thread.sleep(20);
            assertTrue(st.samplesRetried.sum() > 0, "sends to a closed port are retried");
        } // closed with samples pending: they must not be lost
        try (TestServer receiver = new TestServer(c -> c.webListenAddress = new InetSocketAddress("127.0.0.1", port))) {
            try (TestServer sender = TestServer.opened(dir, forwardingTo(t, Map.of()))) {
                write(sender, second);
                var all = new java.util.LinkedHashMap<Map<String, String>, NavigableMap<Long, Double>>();
                first.forEach((k, v) -> {
                    NavigableMap<Long, Double> m = new TreeMap<>(v);
                    m.putAll(second.get(k));
                    all.put(k, m);
                });
                assertSame(all, await(receiver, 1200), Map.of());
            }
        }
    }

    @Test
    void retriesServerErrorsAndTooManyRequestsAndDropsOtherClientErrors() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        ConcurrentLinkedQueue<Integer> answers = new ConcurrentLinkedQueue<>(List.of(500, 429, 503, 204, 400));
        ConcurrentLinkedQueue<Long> times = new ConcurrentLinkedQueue<>();
        HttpServer stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stub.createContext("/api/v1/write", ex -> {
            ex.getRequestBody().readAllBytes();
            calls.incrementAndGet();
            times.add(System.nanoTime());
            Integer code = answers.poll();
            int c = code == null ? 204 : code;
            if (c == 429) ex.getResponseHeaders().add("Retry-After", "1");
            ex.sendResponseHeaders(c, -1);
            ex.close();
        });
        stub.start();
        try {
            RemoteWriteConfig t = target("http://127.0.0.1:" + stub.getAddress().getPort() + "/api/v1/write", ProtobufMessage.V1);
            RemoteWriteConfig one = new RemoteWriteConfig(t.url(), t.name(), t.remoteTimeout(), t.headers(), null, null, null, List.of(),
                    new RemoteWriteConfig.QueueConfig(500, 1, 1, 1000, Duration.ofMillis(50), Duration.ofMillis(10), Duration.ofMillis(100),
                            true, Duration.ZERO), t.metadata(), t.protobufMessage());
            try (TestServer sender = TestServer.opened(dir, forwardingTo(one, Map.of()))) {
                write(sender, load(10, 10, System.currentTimeMillis() - 600_000, "a")); // 100 samples: one request
                ForwardStats st = sender.server.remoteWrite().forwarders().get(0).stats();
                long deadline = System.currentTimeMillis() + 20_000;
                while (st.samplesSent.sum() < 100 && System.currentTimeMillis() < deadline) Thread.sleep(20);
                assertEquals(100, st.samplesSent.sum(), "500, 429 and 503 are retried until the target takes the batch; calls " + calls.get() + " " + st.lastError());
                assertEquals(300, st.samplesRetried.sum());
                List<Long> at = new ArrayList<>(times);
                assertTrue(at.get(2) - at.get(1) >= 900_000_000L, "Retry-After: 1 is waited for");
                write(sender, load(10, 10, System.currentTimeMillis() - 300_000, "b")); // refused with 400: dropped
                while (st.samplesFailed.sum() < 100 && System.currentTimeMillis() < deadline) Thread.sleep(20);
                assertEquals(100, st.samplesFailed.sum(), "a 400 drops the batch");
                write(sender, load(10, 10, System.currentTimeMillis() - 100_000, "c"));
                while (st.samplesSent.sum() < 200 && System.currentTimeMillis() < deadline) Thread.sleep(20);
                assertEquals(200, st.samplesSent.sum(), "and sending goes on after it");
                assertEquals(6, calls.get());
            }
        } finally {
            stub.stop(0);
        }
    }
}
