package tally.server.testing;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Alertmanager ({@code prometheus-alertmanager}) on 127.0.0.1 with clustering off, routing every alert at
 * once to a webhook this class receives, so a test sees both what Alertmanager holds ({@code GET /api/v2/alerts})
 * and the firing and resolved notifications it sends. Stopped (SIGTERM, then SIGKILL) on close.
 */
public final class AlertmanagerProcess implements AutoCloseable {
    private static final List<Path> BINARIES = List.of(Path.of("/usr/bin/prometheus-alertmanager"),
            Path.of("/usr/local/bin/alertmanager"), Path.of("/usr/bin/alertmanager"));

    public final int port;
    private final Process process;
    private final HttpServer webhook;
    private final Path log;
    private final List<JsonObject> notifications;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private AlertmanagerProcess(int port, Process process, HttpServer webhook, Path log, List<JsonObject> notifications) {
        this.port = port;
        this.process = process;
        this.webhook = webhook;
        this.log = log;
        this.notifications = notifications;
    }

    /** The installed Alertmanager binary, or null. */
    public static Path binary() {
        return BINARIES.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }

    public static AlertmanagerProcess start(Path binary, Path dir) throws IOException, InterruptedException {
        List<JsonObject> notifications = new CopyOnWriteArrayList<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hook", ex -> {
            try (ex) {
                notifications.add(JsonParser.parseString(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject());
                ex.sendResponseHeaders(200, -1);
            }
        });
        hook.start();
        Path config = dir.resolve("alertmanager.yml");
        Files.writeString(config, """
                route:
                  receiver: hook
                  group_by: [alertname]
                  group_wait: 0s
                  group_interval: 100ms
                  repeat_interval: 1h
                receivers:
                  - name: hook
                    webhook_configs:
                      - url: http://127.0.0.1:%d/hook
                        send_resolved: true
                """.formatted(hook.getAddress().getPort()));
        int port = TallyProcess.freePort();
        Path log = dir.resolve("alertmanager.log");
        Process p = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                "--storage.path=" + Files.createDirectories(dir.resolve("alertmanager-data")),
                "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        AlertmanagerProcess am = new AlertmanagerProcess(port, p, hook, log, notifications);
        am.awaitReady();
        return am;
    }

    /** host:port, as an alerting.alertmanagers target. */
    public String target() {
        return "127.0.0.1:" + port;
    }

    /** The alerts Alertmanager holds now (resolved ones are not listed by 0.25). */
    public List<JsonObject> alerts() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v2/alerts"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException(r.statusCode() + " " + r.body());
        List<JsonObject> out = new ArrayList<>();
        for (JsonElement e : JsonParser.parseString(r.body()).getAsJsonArray()) out.add(e.getAsJsonObject());
        return out;
    }

    /** Waits for the first webhook notification with this status ("firing" or "resolved"); returns its single alert. */
    public JsonObject awaitNotification(String status, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonObject n : notifications) {
                if (status.equals(n.get("status").getAsString())) {
                    JsonArray alerts = n.getAsJsonArray("alerts");
                    if (alerts.size() != 1) throw new AssertionError("one alert expected: " + n);
                    return alerts.get(0).getAsJsonObject();
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + status + " notification within " + within + "; got " + notifications);
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    private void awaitReady() throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("alertmanager exited with " + process.exitValue() + ":\n" + log());
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("alertmanager not ready within 20 s:\n" + log());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        webhook.stop(0);
    }
}
