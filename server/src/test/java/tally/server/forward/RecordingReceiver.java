package tally.server.forward;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.xerial.snappy.Snappy;
import tally.model.Labels;
import tally.server.remotewrite.ProtoException;
import tally.server.remotewrite.WriteRequestDecoder;
import tally.server.remotewrite.WriteRequestSink;

/**
 * A remote-write 1.0 receiver that keeps every sample it is sent and counts the ones it was sent more than once,
 * to measure the at-least-once duplicate window. Answers 204, as Prometheus does.
 */
final class RecordingReceiver implements AutoCloseable {
    private final HttpServer server;
    private final Map<Labels, NavigableMap<Long, Double>> samples = new HashMap<>();
    final AtomicLong received = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();

    RecordingReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/write", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            int status = 204;
            try {
                byte[] raw = Snappy.uncompress(body);
                new WriteRequestDecoder().decode(raw, raw.length, new WriteRequestSink() {
                    @Override
                    public void series(String[] kv, int labels, long[] timestamps, double[] values, int n, int exemplars, int histograms) {
                        String[] copy = java.util.Arrays.copyOf(kv, labels * 2);
                        Map<String, String> m = new TreeMap<>();
                        for (int i = 0; i < labels; i++) m.put(copy[2 * i], copy[2 * i + 1]);
                        record(Labels.fromMap(m), timestamps, values, n);
                    }

                    @Override
                    public void metadata(int type, String family, String help, String unit) { }
                });
            } catch (IOException | ProtoException e) {
                status = 400;
            }
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        server.start();
    }

    private synchronized void record(Labels l, long[] ts, double[] vs, int n) {
        NavigableMap<Long, Double> s = samples.computeIfAbsent(l, k -> new TreeMap<>());
        for (int i = 0; i < n; i++) {
            received.incrementAndGet();
            if (s.put(ts[i], vs[i]) != null) duplicates.incrementAndGet();
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/write";
    }

    synchronized Map<Labels, NavigableMap<Long, Double>> byName(String name) {
        Map<Labels, NavigableMap<Long, Double>> out = new HashMap<>();
        samples.forEach((l, s) -> {
            if (name.equals(l.metricName())) out.put(l, new TreeMap<>(s));
        });
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
