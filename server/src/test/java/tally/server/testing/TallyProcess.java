package tally.server.testing;

import java.io.IOException;
import java.net.ServerSocket;
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

/**
 * Tally as a separate JVM ({@code tally.server.Main} on the test classpath) on 127.0.0.1 ephemeral
 * ports over a given storage directory, so tests exercise the real command line, sockets and files.
 */
public final class TallyProcess implements AutoCloseable {
    /** Chronicle Map needs these on Java 17 (the same flags as Surefire's argLine). */
    private static final List<String> CHRONICLE_FLAGS = List.of(
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "-Dchronicle.analytics.disable=true");

    public final Path storageDir;
    public final int webPort;
    public final int otlpPort;
    private final Path log;
    private final List<String> jvmOptions;
    private final List<String> flags;
    private Process process;

    private TallyProcess(Path storageDir, int webPort, int otlpPort, List<String> jvmOptions, List<String> flags) {
        this.storageDir = storageDir;
        this.webPort = webPort;
        this.otlpPort = otlpPort;
        this.log = storageDir.resolveSibling(storageDir.getFileName() + ".log");
        this.jvmOptions = jvmOptions;
        this.flags = flags;
    }

    /** Starts Tally over {@code storageDir} (512 MiB heap) and waits until {@code /-/ready} answers 200. */
    public static TallyProcess start(Path storageDir) throws IOException, InterruptedException {
        return start(storageDir, List.of("-Xmx512m"), List.of());
    }

    /** Starts Tally with these JVM options (heap, system properties) and extra flags. */
    public static TallyProcess start(Path storageDir, List<String> jvmOptions, List<String> flags) throws IOException, InterruptedException {
        TallyProcess p = new TallyProcess(storageDir, freePort(), freePort(), jvmOptions, flags);
        p.launch();
        return p;
    }

    /** Whether the JVM is running; its exit status otherwise. */
    public boolean isAlive() {
        return process.isAlive();
    }

    public int exitValue() {
        return process.exitValue();
    }

    /** Kills the JVM with SIGKILL (no shutdown hooks, no flush) and waits for it to be gone. */
    public void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Starts the process again on the same ports and storage directory. */
    public void restart() throws IOException, InterruptedException {
        launch();
    }

    public String web(String path) {
        return "http://127.0.0.1:" + webPort + path;
    }

    public String otlp(String path) {
        return "http://127.0.0.1:" + otlpPort + path;
    }

    /** The process's combined stdout and stderr so far (for failure messages). */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private void launch() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(CHRONICLE_FLAGS);
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("tally.server.Main");
        cmd.add("--storage.path=" + storageDir);
        cmd.add("--web.listen-address=127.0.0.1:" + webPort);
        cmd.add("--otlp.listen-address=127.0.0.1:" + otlpPort);
        cmd.add("--otlp.grpc-listen-address=127.0.0.1:0"); // any free port: these tests do not call it
        cmd.addAll(flags);
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        awaitReady();
    }

    private void awaitReady() throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("tally exited with " + process.exitValue() + ":\n" + log());
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(web("/-/ready"))).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("tally not ready within 60 s:\n" + log());
    }

    /** An ephemeral port that was free a moment ago (the tiny race is acceptable in tests). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Stops the process gracefully (SIGTERM), forcibly after 20 s. */
    @Override
    public void close() throws InterruptedException {
        if (process == null || !process.isAlive()) return;
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
