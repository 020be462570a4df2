package tally.server.forward;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.forward.Forwarder;
import tally.forward.RemoteWriteConfig;
import tally.forward.wire.ProtobufMessage;
import tally.model.Labels;
import tally.server.testing.TestServer;
import tally.server.testing.VictoriaMetricsProcess;

/** The faults targets have in practice: a receiver that goes away and comes back, and connections cut mid-request. */
class RemoteWriteFaultsTest {
    @TempDir
    Path dir;

    /** Writes {@code batches} remote-write requests of 50 series x 4 samples, {@code pauseMillis} apart, running on in time. */
    static Map<Map<String, String>, NavigableMap<Long, Double>> writeBatches(TestServer tally, int batches, long pauseMillis,
                                                                             Runnable midway) throws Exception {
        Map<Map<String, String>, NavigableMap<Long, Double>> all = new LinkedHashMap<>();
        long t0 = System.currentTimeMillis() - 3_600_000;
        for (int b = 0; b < batches; b++) {
            var load = RemoteWriteOutTest.load(50, 4, t0 + b * 4 * 15_000L, "faults");
            RemoteWriteOutTest.write(tally, load);
            load.forEach((k, v) -> all.computeIfAbsent(k, x -> new TreeMap<>()).putAll(v));
            if (b == batches / 2) midway.run();
            Thread.sleep(pauseMillis);
        }
        return all;
    }

    static Map<Labels, NavigableMap<Long, Double>> asLabels(Map<Map<String, String>, NavigableMap<Long, Double>> m) {
        Map<Labels, NavigableMap<Long, Double>> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(Labels.fromMap(k), v));
        return out;
    }

    @Test
    void aReceiverStoppedMidStreamGetsEverythingWhenItReturns() throws Exception {
        Assumptions.assumeTrue(VictoriaMetricsProcess.binary() != null, "victoria-metrics is not on PATH: skipping");
        Files.createDirectories(dir.resolve("vm"));
        try (VictoriaMetricsProcess vm = VictoriaMetricsProcess.start(dir.resolve("vm"))) {
            RemoteWriteConfig t = RemoteWriteOutTest.target(vm.writeUrl(), ProtobufMessage.V1);
            try (TestServer tally = TestServer.opened(dir.resolve("tally"), RemoteWriteOutTest.forwardingTo(t, Map.of()))) {
                Forwarder f = tally.server.remoteWrite().forwarders().get(0);
                var sent = writeBatches(tally, 40, 50, () -> {
                    try {
                        vm.stop();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                long total = sent.values().stream().mapToLong(Map::size).sum();
                Thread.sleep(1000);
                assertTrue(f.stats().samplesSent.sum() < total, "the receiver is down: samples wait");
                assertTrue(f.stats().samplesRetried.sum() > 0);
                assertFalse(f.stats().lastError().isEmpty());
                vm.launch();
                RemoteWriteReceiversTest.awaitSent(f, total);
                RemoteWriteReceiversTest.assertEqualSeries(asLabels(sent), vm.export(), 1e-12, "victoria-metrics after its restart");
            }
        }
    }

    @Test
    void connectionsCutMidRequestAreRetriedAndNothingIsLost() throws Exception {
        try (TestServer receiver = new TestServer();
             CuttingProxy proxy = new CuttingProxy(receiver.server.webAddress().getPort(), 2, 300)) {
            RemoteWriteConfig t = RemoteWriteOutTest.target("http://127.0.0.1:" + proxy.port() + "/api/v1/write", ProtobufMessage.V1);
            try (TestServer tally = TestServer.opened(dir.resolve("tally"), RemoteWriteOutTest.forwardingTo(t, Map.of()))) {
                Forwarder f = tally.server.remoteWrite().forwarders().get(0);
                var sent = writeBatches(tally, 20, 20, () -> { });
                long total = sent.values().stream().mapToLong(Map::size).sum();
                RemoteWriteReceiversTest.awaitAnswered(f, total);
                assertTrue(proxy.cut.get() > 0, "the proxy cut connections");
                assertTrue(f.stats().samplesRetried.sum() > 0, "cut requests were retried");
                RemoteWriteReceiversTest.assertEqualSeries(asLabels(sent), receiver.byName("fwd_test_total"), 0, "receiver behind the proxy");
            }
        }
    }

}
