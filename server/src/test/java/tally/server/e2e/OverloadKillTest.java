package tally.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.server.testing.PromApi;
import tally.server.testing.RemoteWriteEncoder;
import tally.server.testing.TallyProcess;

/**
 * Issue 10: a Tally with a small heap (96 MiB) is flooded as fast as four remote-write senders can go with far more
 * than its heap holds (every request brings 6,000 new series, each 2 h of data time after the last). It must push
 * back with 503 + Retry-After instead of running out of memory, keep answering /-/ready, /metrics and queries, and, killed
 * with SIGKILL in the middle of the flood and restarted with the same heap, hold every sample it acknowledged.
 */
class OverloadKillTest {
    private static final int SENDERS = 4;
    private static final int REQUESTS_PER_SENDER = 30;
    private static final int SERIES_PER_REQUEST = 6000;
    /** 2020-01-01: every day of the flood is a past day, written through heap blocks. */
    private static final long T0 = 1_577_836_800_000L;
    private static final List<String> JVM = List.of("-Xmx96m", "-XX:+ExitOnOutOfMemoryError");
    private static final List<String> FLAGS = List.of("--storage.flush-interval=5s", "--storage.retention=3650d");

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A batch the server acknowledged: its label and the data time of its samples. */
    private record Acked(String batch, long t) {}

    @Test
    void aFloodIsPushedBackAndEveryAcknowledgedSampleSurvivesAKill() throws Exception {
        TallyProcess tally = TallyProcess.start(tmp.resolve("data"), JVM, FLAGS);
        try {
            ConcurrentLinkedQueue<Acked> acked = new ConcurrentLinkedQueue<>();
            AtomicInteger retried = new AtomicInteger();
            AtomicBoolean killed = new AtomicBoolean();
            Monitor monitor = new Monitor(tally);
            monitor.start();
            List<Thread> senders = new ArrayList<>();
            for (int i = 0; i < SENDERS; i++) {
                int sender = i;
                Thread t = new Thread(() -> send(tally, sender, acked, retried, killed), "sender-" + i);
                senders.add(t);
                t.start();
            }
            // kill in the middle of the flood, once three quarters of it is acknowledged
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (acked.size() < SENDERS * REQUESTS_PER_SENDER * 3 / 4 && System.nanoTime() < deadline) {
                assertTrue(tally.isAlive(), "the server died under the flood:\n" + tally.log());
                Thread.sleep(20);
            }
            assertTrue(tally.isAlive(), "the server died under the flood:\n" + tally.log());
            killed.set(true);
            monitor.stop();
            tally.killHard();
            for (Thread t : senders) t.join();

            String log = tally.log();
            assertFalse(log.contains("OutOfMemoryError") || log.contains("out of memory"), log);
            assertTrue(acked.size() >= SENDERS * REQUESTS_PER_SENDER * 3 / 4, "acknowledged " + acked.size() + " batches in 5 minutes");
            assertTrue(retried.get() > 0, "the flood was never pushed back (no 503), so it did not test back-pressure");
            assertEquals(0, monitor.failures.get(), "/-/ready, /metrics or a query failed to answer during the flood: " + monitor.firstFailure
                    + "\n" + log.lines().filter(x -> x.contains("level=error")).limit(5).reduce("", (x, y) -> x + y + "\n"));
            assertTrue(monitor.answered.get() > 10, "the monitor asked " + monitor.answered.get() + " times");

            tally.restart();
            PromApi api = new PromApi(tally.web(""));
            for (Acked a : acked) {
                PromApi.Reply r = api.query("count(flood{batch=\"" + a.batch + "\"})", a.t / 1000.0);
                assertTrue(r.success(), r.body());
                String count = r.data().getAsJsonObject().getAsJsonArray("result").size() == 0 ? "0"
                        : r.data().getAsJsonObject().getAsJsonArray("result").get(0).getAsJsonObject().getAsJsonArray("value").get(1).getAsString();
                assertEquals(Integer.toString(SERIES_PER_REQUEST), count, "batch " + a.batch + " after SIGKILL and restart");
            }
        } finally {
            tally.close();
        }
    }

    /** Sends this sender's requests in order, retrying 503/429 after Retry-After, until done or the server is killed. */
    private void send(TallyProcess tally, int sender, ConcurrentLinkedQueue<Acked> acked, AtomicInteger retried, AtomicBoolean killed) {
        for (int j = 0; j < REQUESTS_PER_SENDER && !killed.get(); j++) {
            long t = T0 + (long) (j * SENDERS + sender) * 7_200_000L + sender; // 2 h of data time per request
            String batch = sender + "-" + j;
            byte[] body;
            try {
                body = request(batch, t);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            HttpRequest req = HttpRequest.newBuilder(URI.create(tally.web("/api/v1/write"))).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                    .header("X-Prometheus-Remote-Write-Version", "0.1.0").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            while (!killed.get()) {
                HttpResponse<String> r;
                try {
                    r = http.send(req, HttpResponse.BodyHandlers.ofString());
                } catch (IOException | InterruptedException e) {
                    return; // killed while in flight: not acknowledged
                }
                if (r.statusCode() == 204) {
                    acked.add(new Acked(batch, t));
                    break;
                }
                assertTrue(r.statusCode() == 503, "only 503 is expected under load, got " + r.statusCode() + ": " + r.body());
                assertTrue(r.headers().firstValue("Retry-After").isPresent(), "503 without Retry-After");
                retried.incrementAndGet();
                try {
                    Thread.sleep(Math.min(1000, Long.parseLong(r.headers().firstValue("Retry-After").get()) * 1000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** 6,000 new series of Claude Code's shape (a session id and account per series), one sample each. */
    private static byte[] request(String batch, long t) throws IOException {
        Map<Map<String, String>, NavigableMap<Long, Double>> series = new LinkedHashMap<>();
        for (int k = 0; k < SERIES_PER_REQUEST; k++) {
            Map<String, String> l = new TreeMap<>();
            l.put("__name__", "flood");
            l.put("batch", batch);
            l.put("k", Integer.toString(k));
            l.put("session_id", String.format("%08x-%04x-4000-8000-%012x", batch.hashCode(), k, (long) k * 7919));
            l.put("user_account_uuid", String.format("%08x-0000-4000-8000-000000000000", k % 977));
            l.put("model", k % 3 == 0 ? "claude-opus-4" : "claude-sonnet-4");
            NavigableMap<Long, Double> s = new TreeMap<>();
            s.put(t, (double) k);
            series.put(l, s);
        }
        return RemoteWriteEncoder.encode(series);
    }

    /** A query for one batch, answered from the store or the head while the flood goes on. */
    private static final String QUERY = "/api/v1/query?query=count(flood%7Bbatch%3D%220-0%22%7D)&time=" + (T0 / 1000);

    /** Asks /-/ready, /metrics and a query every 200 ms during the flood; counts answers and failures (10 s timeout). */
    private final class Monitor {
        final AtomicInteger answered = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        final AtomicLong slowestMillis = new AtomicLong();
        volatile String firstFailure;
        private final TallyProcess tally;
        private volatile boolean stop;
        private Thread thread;

        Monitor(TallyProcess tally) {
            this.tally = tally;
        }

        void start() {
            thread = new Thread(() -> {
                while (!stop) {
                    for (String path : new String[] {"/-/ready", "/metrics", QUERY}) {
                        long t0 = System.nanoTime();
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(tally.web(path)))
                                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                            if (stop) return;
                            if (r.statusCode() != 200) fail(path + " answered " + r.statusCode());
                            else answered.incrementAndGet();
                        } catch (IOException | InterruptedException e) {
                            if (!stop) fail(path + ": " + e);
                        }
                        slowestMillis.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
                    }
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "monitor");
            thread.start();
        }

        private void fail(String what) {
            failures.incrementAndGet();
            if (firstFailure == null) firstFailure = what;
        }

        void stop() throws InterruptedException {
            stop = true;
            thread.join();
        }
    }
}
