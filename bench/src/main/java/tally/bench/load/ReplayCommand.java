package tally.bench.load;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code replay --url=URL --dir=DIR [--protocol=remote-write|otlp|otlp-grpc] [--temporality=cumulative|delta] [--senders=8]
 * [--max-lead=2] [--rate=SAMPLES_PER_S] [--seconds=S] [--json-out=FILE]}: sends the generated files byte-identically with concurrent senders over
 * keep-alive connections, retrying 429/503 after Retry-After, and reports acked samples/s and latency percentiles.
 * Senders stay within --max-lead windows (15 min each) of each other, like real-time senders, so that
 * receivers with an append window (Prometheus' head) see what they would see live. {@code otlp-grpc} sends the
 * OTLP bodies as unary MetricsService/Export calls (URL {@code http://host:4317}), one HTTP/2 connection per sender,
 * retrying UNAVAILABLE.
 */
final class ReplayCommand {
    private ReplayCommand() {}

    static int run(List<String> argv) throws Exception {
        Args a = new Args(argv);
        String protocol = a.str("protocol", "remote-write");
        boolean grpc = protocol.equals("otlp-grpc");
        String format = protocol.startsWith("otlp") ? "otlp-" + a.str("temporality", "cumulative") : "remote-write";
        Path dir = Path.of(a.required("dir")).resolve(format);
        List<Path> files = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().startsWith("stream-")).sorted().forEach(files::add);
        }
        int senders = Math.min(a.integer("senders", 8), files.size());
        Replay r = new Replay(URI.create(a.required("url")), protocol.startsWith("otlp"), grpc, senders, a.integer("max-lead", 2));
        r.pace(Double.parseDouble(a.str("rate", "0")), Double.parseDouble(a.str("seconds", "0")));
        // Preload unless the bodies would not fit comfortably in the heap (full-scale OTLP is many GB).
        long bodyBytes = readJson(dir.getParent().resolve("manifest.json")).getAsJsonObject(format).get("body_bytes").getAsLong();
        boolean fromDisk = a.has("stream-from-disk") || bodyBytes > Runtime.getRuntime().maxMemory() / 3;
        for (int i = 0; i < senders; i++) {
            List<Path> mine = new ArrayList<>();
            for (int f = i; f < files.size(); f += senders) mine.add(files.get(f));
            r.assign(i, mine, fromDisk);
        }
        Map<String, Object> report = r.run();
        report.put("protocol", protocol);
        report.put("format", format);
        report.put("preloaded", !fromDisk);
        String json = new GsonBuilder().setPrettyPrinting().create().toJson(report);
        if (a.has("json-out")) Files.writeString(Path.of(a.str("json-out", "")), json + "\n", StandardCharsets.UTF_8);
        System.out.println(json);
        return ((Number) report.get("failed_requests")).longValue() == 0 ? 0 : 1;
    }

    private static final class Replay {
        private final URI url;
        private final boolean otlp;
        private final boolean grpc;
        private final int maxLead;
        private final HttpClient client;
        private final AtomicIntegerArray nextWindow;
        private final Sender[] senders;
        /** --rate (samples/s, 0: as fast as they go) and --seconds (0: until the files end): a steady load. */
        private double rate;
        private long stopAtNanos = Long.MAX_VALUE;
        private final java.util.concurrent.atomic.AtomicLong nextSlotNanos = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());

        void pace(double samplesPerSecond, double seconds) {
            rate = samplesPerSecond;
            nextSlotNanos.set(System.nanoTime());
            if (seconds > 0) stopAtNanos = System.nanoTime() + (long) (seconds * 1e9);
        }

        /** Waits for this request's slot at the configured rate; false once the run's time is up. */
        private boolean awaitSlot(int samples) {
            if (System.nanoTime() >= stopAtNanos) return false;
            if (rate <= 0) return true;
            long slot = nextSlotNanos.getAndAdd((long) (samples * 1e9 / rate));
            long wait = slot - System.nanoTime();
            if (wait > 0) LockSupport.parkNanos(wait);
            return System.nanoTime() < stopAtNanos;
        }

        Replay(URI url, boolean otlp, boolean grpc, int senders, int maxLead) {
            this.url = url;
            this.otlp = otlp;
            this.grpc = grpc;
            this.maxLead = maxLead;
            client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
            nextWindow = new AtomicIntegerArray(senders);
            this.senders = new Sender[senders];
        }

        void assign(int i, List<Path> files, boolean fromDisk) throws IOException {
            senders[i] = new Sender(i, new RequestSource(files, !fromDisk));
            PayloadFile.Request first = senders[i].source.peek();
            nextWindow.set(i, first == null ? Integer.MAX_VALUE : first.window);
        }

        Map<String, Object> run() throws InterruptedException {
            long t0 = System.nanoTime();
            Thread[] threads = new Thread[senders.length];
            for (int i = 0; i < senders.length; i++) {
                threads[i] = new Thread(senders[i], "sender-" + i);
                threads[i].start();
            }
            for (Thread t : threads) t.join();
            double seconds = (System.nanoTime() - t0) / 1e9;
            long requests = 0, samples = 0, bytes = 0, retries = 0, failed = 0;
            Map<String, Long> errors = new TreeMap<>();
            String firstError = null;
            long[] lat = new long[0];
            for (Sender s : senders) {
                requests += s.requests;
                samples += s.ackedSamples;
                bytes += s.bytes;
                retries += s.retries;
                failed += s.failed;
                s.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
                if (firstError == null) firstError = s.firstError;
                int n = lat.length;
                lat = Arrays.copyOf(lat, n + s.latencyCount);
                System.arraycopy(s.latencyMicros, 0, lat, n, s.latencyCount);
            }
            Arrays.sort(lat);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("url", url.toString());
            r.put("senders", senders.length);
            r.put("seconds", seconds);
            r.put("requests", requests);
            r.put("acked_samples", samples);
            r.put("samples_per_second", samples / seconds);
            r.put("bytes_sent", bytes);
            r.put("retries", retries);
            r.put("failed_requests", failed);
            r.put("errors", errors);
            if (firstError != null) r.put("first_error", firstError);
            Map<String, Object> p = new LinkedHashMap<>();
            for (double q : new double[] {0.5, 0.9, 0.99, 1.0}) {
                p.put(q == 1.0 ? "max" : "p" + Math.round(q * 100), lat.length == 0 ? 0 : lat[(int) Math.min(lat.length - 1, Math.floor(q * lat.length))] / 1000.0);
            }
            r.put("latency_ms", p);
            return r;
        }

        private void waitForOthers(int self, int window) {
            while (true) {
                int min = Integer.MAX_VALUE;
                for (int i = 0; i < nextWindow.length(); i++) min = Math.min(min, nextWindow.get(i));
                if (min >= window - maxLead) return;
                LockSupport.parkNanos(200_000);
            }
        }

        private final class Sender implements Runnable {
            final int index;
            final RequestSource source;
            long requests, ackedSamples, bytes, retries, failed;
            final Map<String, Long> errors = new TreeMap<>();
            String firstError;
            long[] latencyMicros = new long[1024];
            int latencyCount;
            GrpcClient grpcClient;

            Sender(int index, RequestSource source) {
                this.index = index;
                this.source = source;
            }

            @Override
            public void run() {
                try (GrpcClient g = grpc ? new GrpcClient(url) : null) {
                    grpcClient = g;
                    PayloadFile.Request req;
                    while ((req = source.next()) != null) {
                        waitForOthers(index, req.window);
                        if (!awaitSlot(req.samples)) break;
                        send(req);
                        PayloadFile.Request peek = source.peek();
                        nextWindow.set(index, peek == null ? Integer.MAX_VALUE : peek.window);
                    }
                } catch (Exception e) {
                    failed++;
                    errors.merge("exception", 1L, Long::sum);
                    if (firstError == null) firstError = e.toString();
                } finally {
                    nextWindow.set(index, Integer.MAX_VALUE);
                }
            }

            private void send(PayloadFile.Request req) throws IOException, InterruptedException {
                if (grpcClient != null) {
                    sendGrpc(req);
                    return;
                }
                HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(2))
                        .header("Content-Type", "application/x-protobuf").header("User-Agent", "tally-loadgen/1")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(req.body));
                if (!otlp) b.header("Content-Encoding", "snappy").header("X-Prometheus-Remote-Write-Version", "0.1.0");
                HttpRequest http = b.build();
                long backoffMs = 100;
                for (int attempt = 0; ; attempt++) {
                    long t = System.nanoTime();
                    HttpResponse<String> resp = client.send(http, HttpResponse.BodyHandlers.ofString());
                    recordLatency((System.nanoTime() - t) / 1000);
                    int code = resp.statusCode();
                    if (code / 100 == 2) {
                        requests++;
                        ackedSamples += req.samples;
                        bytes += req.body.length;
                        return;
                    }
                    if ((code == 429 || code == 503) && attempt < 100) {
                        retries++;
                        long wait = resp.headers().firstValue("Retry-After").map(ReplayCommand::retryAfterMs).orElse(backoffMs);
                        backoffMs = Math.min(5_000, backoffMs * 2);
                        Thread.sleep(Math.max(1, wait));
                        continue;
                    }
                    requests++;
                    failed++;
                    errors.merge(Integer.toString(code), 1L, Long::sum);
                    if (firstError == null) firstError = code + " " + resp.body().strip();
                    return;
                }
            }

            private void sendGrpc(PayloadFile.Request req) throws IOException, InterruptedException {
                long backoffMs = 100;
                for (int attempt = 0; ; attempt++) {
                    long t = System.nanoTime();
                    GrpcClient.Result res = grpcClient.call(GRPC_METRICS_EXPORT, req.body);
                    recordLatency((System.nanoTime() - t) / 1000);
                    if (res.status() == 0) {
                        requests++;
                        ackedSamples += req.samples;
                        bytes += req.body.length;
                        return;
                    }
                    if (res.status() == GRPC_UNAVAILABLE && attempt < 100) { // retryable, as OTLP exporters treat it
                        retries++;
                        Thread.sleep(backoffMs);
                        backoffMs = Math.min(5_000, backoffMs * 2);
                        continue;
                    }
                    requests++;
                    failed++;
                    errors.merge("grpc-" + res.status(), 1L, Long::sum);
                    if (firstError == null) firstError = "grpc-status " + res.status() + " " + res.message();
                    return;
                }
            }

            private void recordLatency(long micros) {
                if (latencyCount == latencyMicros.length) latencyMicros = Arrays.copyOf(latencyMicros, latencyCount * 2);
                latencyMicros[latencyCount++] = micros;
            }
        }
    }

    /** Retry-After in seconds (the only form Prometheus-style receivers send); unparseable values mean 1 s. */
    static long retryAfterMs(String v) {
        try {
            return (long) (Double.parseDouble(v.trim()) * 1000);
        } catch (NumberFormatException e) {
            return 1000;
        }
    }

    static final String GRPC_METRICS_EXPORT = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
    static final int GRPC_UNAVAILABLE = 14;

    static final Gson GSON = new Gson();

    static JsonObject readJson(Path p) throws IOException {
        return GSON.fromJson(Files.readString(p), JsonObject.class);
    }
}
