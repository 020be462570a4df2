package tally.server.testing;

import tally.model.Labels;
import tally.model.MatchType;
import tally.model.Matcher;
import tally.model.MetricMetadata;
import tally.model.Querier;
import tally.model.SampleIterator;
import tally.model.SelectHints;
import tally.model.SeriesSet;
import tally.model.Storage;
import tally.server.TallyServer;
import tally.server.config.ServerConfig;
import tally.storage.TallyStorage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A running TallyServer on 127.0.0.1 ephemeral ports, plus an HTTP client. By default it runs over the
 * real {@link TallyStorage} in a fresh temporary directory (deleted on close); tests that must observe
 * or break appender calls pass a {@link RecordingStorage}.
 */
public final class TestServer implements AutoCloseable {
    public final Storage storage;
    public final TallyServer server;
    public final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Path ownedDir;

    public TestServer() throws InterruptedException {
        this(c -> {});
    }

    /** Over a new TallyStorage in a temporary directory. */
    public TestServer(Consumer<ServerConfig> tweak) throws InterruptedException {
        this(tempDir(), tweak, true);
    }

    /** Over a TallyStorage in {@code dir} (kept on close, so a test can open it again: a restart). */
    public TestServer(Path dir, Consumer<ServerConfig> tweak) throws InterruptedException {
        this(dir, tweak, false);
    }

    private TestServer(Path dir, Consumer<ServerConfig> tweak, boolean owned) throws InterruptedException {
        this(openTally(dir), tweak, dir, owned);
    }

    /**
     * Over the given storage (a RecordingStorage when the test needs to see or fail commits); the server's own files
     * (the record of counted Claude Code events) go to a temporary directory deleted on close.
     */
    public TestServer(Storage storage, Consumer<ServerConfig> tweak) throws InterruptedException {
        this(storage, tweak, tempDir(), true);
    }

    /** {@code dataDir} is the server's --storage.path (the storage's directory, or where the server keeps its own files). */
    private TestServer(Storage storage, Consumer<ServerConfig> tweak, Path dataDir, boolean ownsDir) throws InterruptedException {
        this(config(dataDir, tweak), storage, ownsDir ? dataDir : null);
    }

    /**
     * Over a TallyStorage in {@code dir} (kept on close) opened as {@code tally} opens it for the tweaked
     * configuration: what remote_write targets need (their WAL holds) included.
     */
    public static TestServer opened(Path dir, Consumer<ServerConfig> tweak) throws Exception {
        ServerConfig cfg = config(dir, tweak);
        return new TestServer(cfg, TallyServer.openStorage(cfg), null);
    }

    private static ServerConfig config(Path dataDir, Consumer<ServerConfig> tweak) {
        ServerConfig cfg = new ServerConfig();
        cfg.webListenAddress = new InetSocketAddress("127.0.0.1", 0);
        cfg.otlpListenAddress = new InetSocketAddress("127.0.0.1", 0);
        cfg.otlpGrpcListenAddress = new InetSocketAddress("127.0.0.1", 0);
        cfg.shutdownTimeout = Duration.ofSeconds(5);
        cfg.storagePath = dataDir.toString();
        tweak.accept(cfg);
        return cfg;
    }

    private TestServer(ServerConfig cfg, Storage storage, Path ownedDir) throws InterruptedException {
        this.storage = storage;
        this.ownedDir = ownedDir;
        try {
            this.server = new TallyServer(cfg, storage).start();
        } catch (tally.server.config.ConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The storage as a RecordingStorage (only for servers built over one). */
    public RecordingStorage recording() {
        return (RecordingStorage) storage;
    }

    public String webUrl(String path) {
        return "http://127.0.0.1:" + server.webAddress().getPort() + path;
    }

    public String otlpUrl(String path) {
        return "http://127.0.0.1:" + server.otlpAddress().getPort() + path;
    }

    /** The OTLP/gRPC port (h2c). */
    public int grpcPort() {
        return server.grpcAddress().getPort();
    }

    public HttpResponse<byte[]> post(String url, String contentType, String contentEncoding, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) b.header("Content-Type", contentType);
        if (contentEncoding != null) b.header("Content-Encoding", contentEncoding);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Every stored series with its samples, read back through the storage's query interface. */
    public Map<Labels, NavigableMap<Long, Double>> all() {
        return select(Matcher.of(MatchType.REGEX, Labels.METRIC_NAME, ".+"));
    }

    /** Series whose metric name is {@code name}. */
    public Map<Labels, NavigableMap<Long, Double>> byName(String name) {
        return select(Matcher.metricName(name));
    }

    /** Samples of one series (empty when none). */
    public NavigableMap<Long, Double> samples(Labels labels) {
        NavigableMap<Long, Double> s = byName(labels.metricName()).get(labels);
        return s == null ? new TreeMap<>() : s;
    }

    public Map<String, List<MetricMetadata>> metadata() {
        return storage.metadata();
    }

    private Map<Labels, NavigableMap<Long, Double>> select(Matcher m) {
        Map<Labels, NavigableMap<Long, Double>> out = new HashMap<>();
        try (Querier q = storage.querier(Long.MIN_VALUE / 2, Long.MAX_VALUE / 2)) {
            SeriesSet set = q.select(false, SelectHints.range(Long.MIN_VALUE / 2, Long.MAX_VALUE / 2), List.of(m));
            while (set.next()) {
                NavigableMap<Long, Double> samples = new TreeMap<>();
                SampleIterator it = set.at().iterator(null);
                while (it.next()) samples.put(it.atT(), it.atV());
                out.put(set.at().labels(), samples);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    @Override
    public void close() {
        server.close();
        if (ownedDir != null) deleteTree(ownedDir);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("tally-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Storage openTally(Path dir) {
        try {
            return TallyStorage.open(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp dir is harmless
        }
    }
}
