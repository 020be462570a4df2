package tally.server.testing;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import tally.model.Labels;

/** Debian's {@code victoria-metrics} (single node, 1.79) on a free loopback port, as a remote-write receiver. */
public final class VictoriaMetricsProcess implements AutoCloseable {
    public final int port;
    private final Path dir;
    private final Path log;
    private Process process;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private VictoriaMetricsProcess(int port, Path dir) {
        this.port = port;
        this.dir = dir;
        this.log = dir.resolve("victoria-metrics.log");
    }

    /** The binary on PATH, or null. */
    public static String binary() {
        return PrometheusProcess.onPath("victoria-metrics");
    }

    public static VictoriaMetricsProcess start(Path dir) throws IOException, InterruptedException {
        return start(dir, TallyProcess.freePort());
    }

    public static VictoriaMetricsProcess start(Path dir, int port) throws IOException, InterruptedException {
        VictoriaMetricsProcess vm = new VictoriaMetricsProcess(port, dir);
        vm.launch();
        return vm;
    }

    /** Starts it again (after {@link #stop}) on the same port and data. */
    public void launch() throws IOException, InterruptedException {
        process = new ProcessBuilder(binary(), "-storageDataPath=" + dir.resolve("data"), "-httpListenAddr=127.0.0.1:" + port,
                "-retentionPeriod=100y", "-search.disableCache", "-search.latencyOffset=0s", "-loggerLevel=WARN")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("victoria-metrics exited:\n" + log());
            try {
                if (get("/health").statusCode() == 200) return;
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("victoria-metrics not ready in 30 s:\n" + log());
    }

    public String writeUrl() {
        return "http://127.0.0.1:" + port + "/api/v1/write";
    }

    /** Every sample it holds, by series: flushes its in-memory buffers first so that all of them are visible. */
    public Map<Labels, NavigableMap<Long, Double>> export() throws IOException, InterruptedException {
        get("/internal/force_flush");
        HttpResponse<String> r = get("/api/v1/export?match[]=" + java.net.URLEncoder.encode("{__name__=~\".+\"}", StandardCharsets.UTF_8)
                + "&start=0");
        if (r.statusCode() != 200) throw new IOException("export: HTTP " + r.statusCode() + " " + r.body());
        Map<Labels, NavigableMap<Long, Double>> out = new HashMap<>();
        for (String line : r.body().split("\n")) {
            if (line.isBlank()) continue;
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            Map<String, String> labels = new TreeMap<>();
            o.getAsJsonObject("metric").entrySet().forEach(e -> labels.put(e.getKey(), e.getValue().getAsString()));
            var values = o.getAsJsonArray("values");
            var times = o.getAsJsonArray("timestamps");
            NavigableMap<Long, Double> s = out.computeIfAbsent(Labels.fromMap(labels), k -> new TreeMap<>());
            for (int i = 0; i < times.size(); i++) s.put(times.get(i).getAsLong(), values.get(i).getAsDouble());
        }
        return out;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** SIGTERM, and waits for it to be gone. */
    public void stop() throws InterruptedException {
        if (process == null) return;
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

}
