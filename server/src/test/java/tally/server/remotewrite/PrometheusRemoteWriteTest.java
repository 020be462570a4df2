package tally.server.remotewrite;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Labels;
import tally.server.testing.TestServer;

import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Debian's real {@code prometheus} scrapes Tally's own /metrics and remote-writes the result to
 * Tally; the scraped series must arrive in storage. Skipped when {@code prometheus} is not installed.
 */
class PrometheusRemoteWriteTest {

    private static String findPrometheus() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, "prometheus");
            if (f.canExecute()) return f.getPath();
        }
        return null;
    }

    @Test
    void prometheusScrapesTallyAndRemoteWritesToIt(@TempDir Path dir) throws Exception {
        String prometheus = findPrometheus();
        Assumptions.assumeTrue(prometheus != null, "prometheus is not on PATH (apt-get install -y prometheus): skipping");
        try (TestServer s = new TestServer()) {
            int tally = s.server.webAddress().getPort();
            int promPort;
            try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                promPort = free.getLocalPort();
            }
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, String.join("\n",
                    "global:",
                    "  scrape_interval: 1s",
                    "scrape_configs:",
                    "  - job_name: tally",
                    "    static_configs:",
                    "      - targets: ['127.0.0.1:" + tally + "']",
                    "remote_write:",
                    "  - url: http://127.0.0.1:" + tally + "/api/v1/write",
                    "    queue_config: {batch_send_deadline: 1s, max_shards: 1, min_backoff: 100ms}",
                    "    metadata_config: {send_interval: 1s}",
                    ""));
            Process p = new ProcessBuilder(prometheus, "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + promPort)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            try {
                Labels up = Labels.of("__name__", "up", "job", "tally", "instance", "127.0.0.1:" + tally);
                boolean found = false;
                long deadline = System.currentTimeMillis() + 30_000;
                while (System.currentTimeMillis() < deadline && !(found = arrived(s, up))) Thread.sleep(250);
                assertTrue(found, "up and tally_http_requests_total arrived via remote-write; prometheus log:\n"
                        + Files.readString(dir.resolve("prometheus.log")));
                NavigableMap<Long, Double> upSamples = s.samples(up);
                assertTrue(upSamples.values().stream().allMatch(v -> v == 1.0), upSamples.toString());
            } finally {
                p.destroy(); // SIGTERM: Prometheus shuts down cleanly
                if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
            }
        }
    }

    private static boolean arrived(TestServer s, Labels up) {
        if (s.samples(up).isEmpty()) return false;
        Map<Labels, NavigableMap<Long, Double>> scraped = s.byName("tally_http_requests_total");
        return scraped.keySet().stream().anyMatch(l -> "tally".equals(l.get("job")) && "/metrics".equals(l.get("handler")))
                && s.metadata().containsKey("tally_http_requests_total");
    }
}
