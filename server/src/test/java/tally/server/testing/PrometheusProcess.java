package tally.server.testing;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's {@code prometheus} on 127.0.0.1 with a temp data dir, no scrape targets, remote-write receiver on. */
public final class PrometheusProcess implements AutoCloseable {
    public final int port;
    private final Process process;
    private final Path log;

    private PrometheusProcess(int port, Process process, Path log) {
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** The {@code prometheus} (or {@code promtool}) binary on PATH, or null. */
    public static String onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (f.canExecute()) return f.getAbsolutePath();
        }
        return null;
    }

    public static PrometheusProcess start(String binary, Path dir) throws IOException, InterruptedException {
        // evaluation_interval is the default subquery step: 1m, as in Tally
        return start(binary, dir, "global:\n  evaluation_interval: 1m\n");
    }

    /** With this prometheus.yml (written to {@code dir/prometheus.yml}, so rule_files resolve against {@code dir}). */
    public static PrometheusProcess start(String binary, Path dir, String configYaml) throws IOException, InterruptedException {
        return start(binary, dir, configYaml, null);
    }

    /** ... and, when not null, {@code --web.config.file=webConfig} (then "ready" is any answer, 401 included). */
    public static PrometheusProcess start(String binary, Path dir, String configYaml, Path webConfig) throws IOException, InterruptedException {
        return start(binary, dir, configYaml, webConfig, TallyProcess.freePort());
    }

    /** ... listening on {@code port} (for a configuration that names it, e.g. to scrape itself). */
    public static PrometheusProcess start(String binary, Path dir, String configYaml, Path webConfig, int port)
            throws IOException, InterruptedException {
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, configYaml);
        Path log = dir.resolve("prometheus.log");
        List<String> cmd = new ArrayList<>(List.of(binary, "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                "--storage.tsdb.retention.time=1d", "--web.enable-remote-write-receiver",
                "--web.listen-address=127.0.0.1:" + port));
        if (webConfig != null) cmd.add("--web.config.file=" + webConfig);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusProcess prom = new PrometheusProcess(port, p, log);
        prom.awaitReady(webConfig != null);
        return prom;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    private void awaitReady(boolean anyAnswer) throws InterruptedException, IOException {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("prometheus exited:\n" + log());
            try {
                int status = client.send(HttpRequest.newBuilder(URI.create(url() + "/-/ready")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200 || (anyAnswer && status == 401)) return;
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("prometheus not ready in 30 s:\n" + log());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: a clean shutdown
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
