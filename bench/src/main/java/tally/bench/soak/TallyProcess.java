package tally.bench.soak;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Tally under test, started through the repository's ./tally launcher (its shipped JVM defaults) on fixed
 * loopback ports and one data directory, so every restart serves the same data at the same addresses.
 * It is only ever stopped by its own PID.
 */
final class TallyProcess {
    private static final Pattern REPLAY = Pattern.compile("WAL [^\\n]*replayed [^\\n]*");

    final int webPort, otlpPort, grpcPort;
    private final Path repo, data, log;
    private volatile Process process;
    private long logOffset;

    TallyProcess(Path repo, Path data, Path log) throws IOException {
        this.repo = repo;
        this.data = data;
        this.log = log;
        webPort = freePort();
        otlpPort = freePort();
        grpcPort = freePort();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    void start() throws IOException {
        logOffset = log.toFile().length();
        ProcessBuilder pb = new ProcessBuilder(List.of(repo.resolve("tally").toString(), "--storage.path=" + data,
                "--web.listen-address=127.0.0.1:" + webPort, "--otlp.listen-address=127.0.0.1:" + otlpPort,
                "--otlp.grpc-listen-address=127.0.0.1:" + grpcPort));
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = pb.start(); // ./tally execs java, so this PID is the JVM's
    }

    long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    Integer exitCode() {
        Process p = process;
        return p == null || p.isAlive() ? null : p.exitValue();
    }

    /** SIGKILL by PID (Process.destroyForcibly), then reaps it. */
    void kill() throws InterruptedException {
        Process p = process;
        if (p == null) return;
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then SIGKILL after 40 s. */
    void stop() throws InterruptedException {
        Process p = process;
        if (p == null) return;
        p.destroy();
        if (!p.waitFor(40, TimeUnit.SECONDS)) kill();
    }

    boolean ready() {
        try {
            HttpResponse<Void> r = Sender.HTTP.send(HttpRequest.newBuilder(URI.create(url("/-/ready"))).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits for /-/ready; false when the process died or the time ran out. */
    boolean awaitReady(long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < end) {
            if (!alive()) return false;
            if (ready()) return true;
            Thread.sleep(50);
        }
        return false;
    }

    String url(String path) {
        return "http://127.0.0.1:" + webPort + path;
    }

    /** One sample of Tally's own /metrics (the sum over its label sets), or NaN. */
    double metric(String name) {
        try {
            HttpResponse<String> r = Sender.HTTP.send(HttpRequest.newBuilder(URI.create(url("/metrics"))).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            double sum = Double.NaN;
            for (String line : r.body().split("\n")) {
                if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                    double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    sum = Double.isNaN(sum) ? v : sum + v;
                }
            }
            return sum;
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    /** The WAL replay line Tally logged since its last start, or "". */
    String replayLine() {
        String s = logSinceStart();
        Matcher m = REPLAY.matcher(s);
        String last = "";
        while (m.find()) last = m.group();
        return last;
    }

    String logSinceStart() {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long len = f.length();
            long from = Math.max(logOffset, len - 1_000_000);
            byte[] b = new byte[(int) (len - from)];
            f.seek(from);
            f.readFully(b);
            return new String(b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
