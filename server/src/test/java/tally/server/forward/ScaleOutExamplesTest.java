package tally.server.forward;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;
import tally.server.config.ConfigFile;
import tally.server.remotewrite.WriteRequestDecoder;
import tally.server.remotewrite.WriteRequestSink;
import tally.server.testing.ExternalTool;
import tally.server.testing.TestServer;

/**
 * The example configurations of docs/scale-out.md, one per engine: promtool accepts each, Tally loads each, and a
 * Tally running it sends to the engine's write path with the tenant header and credentials it names (the engine's
 * host is replaced by a local stub that records what it is sent).
 */
class ScaleOutExamplesTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
            "mimir.yml, /api/v1/push, X-Scope-OrgID, team-a, Basic",
            "thanos-receive.yml, /api/v1/receive, THANOS-TENANT, team-a, ",
            "victoriametrics-cluster.yml, /insert/42/prometheus/api/v1/write, , , ",
            "prometheus.yml, /api/v1/write, , , "})
    void exampleSendsToTheEnginesWritePath(String file, String path, String tenantHeader, String tenant, String authScheme) throws Exception {
        Path example = Path.of("..", "docs", "examples", "scale-out", file);
        assertTrue(Files.exists(example), example.toAbsolutePath().toString());
        if (ExternalTool.onPath("promtool")) {
            ExternalTool.Result r = ExternalTool.run(dir, "promtool", "check", "config", example.toAbsolutePath().toString());
            assertEquals(0, r.exitCode(), r.output());
        }
        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        AtomicLong samples = new AtomicLong();
        HttpServer stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stub.createContext("/", ex -> {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            seen.add(ex.getRequestURI().getPath() + " " + (tenantHeader == null ? "" : ex.getRequestHeaders().getFirst(tenantHeader))
                    + " " + (auth == null ? "" : auth.split(" ")[0]));
            byte[] raw = Snappy.uncompress(ex.getRequestBody().readAllBytes());
            try {
                new WriteRequestDecoder().decode(raw, raw.length, new WriteRequestSink() {
                    @Override
                    public void series(String[] kv, int labels, long[] ts, double[] vs, int n, int exemplars, int histograms) {
                        boolean team = false;
                        for (int i = 0; i < labels; i++) team |= kv[2 * i].equals("team") && kv[2 * i + 1].equals("team-a");
                        if (team) samples.addAndGet(n);
                    }

                    @Override
                    public void metadata(int type, String family, String help, String unit) { }
                });
            } catch (Exception e) {
                throw new java.io.IOException(e);
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        stub.start();
        try {
            Files.writeString(dir.resolve("password"), "secret\n");
            String yml = Files.readString(example)
                    .replaceAll("https?://[^/\\s]+", "http://127.0.0.1:" + stub.getAddress().getPort())
                    .replace("/etc/tally/mimir-password", dir.resolve("password").toString())
                    .replaceAll("(?m)^    tls_config:\\n      ca_file: .*\\n", "");
            Path local = dir.resolve(file);
            Files.writeString(local, yml);
            ConfigFile.Contents c = ConfigFile.read(local);
            assertEquals(1, c.remoteWrite().size());
            assertEquals(path, URI.create(c.remoteWrite().get(0).url().toString()).getPath());
            try (TestServer tally = TestServer.opened(dir.resolve("data"), cfg -> {
                cfg.claudeCodeRules = false;
                cfg.rules = c.rules();
                cfg.remoteWrite = c.remoteWrite();
            })) {
                var load = Map.of(Map.of("__name__", "claude_code_cost_usage_USD_total", "model", "claude-sonnet-4-5"),
                        new java.util.TreeMap<>(Map.of(System.currentTimeMillis() - 1000, 1.5)));
                RemoteWriteOutTest.write(tally, new java.util.HashMap<>(load));
                long deadline = System.currentTimeMillis() + 20_000;
                while (samples.get() < 1 && System.currentTimeMillis() < deadline) Thread.sleep(20);
                assertEquals(1, samples.get(), "the sample arrived with the example's external label");
                String first = seen.peek();
                assertEquals(path + " " + (tenant == null ? "" : tenant) + " " + (authScheme == null ? "" : authScheme), first);
            }
        } finally {
            stub.stop(0);
        }
    }

}
