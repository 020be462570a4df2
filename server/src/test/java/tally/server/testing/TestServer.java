package tally.server.testing;

import tally.server.TallyServer;
import tally.server.config.ServerConfig;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Consumer;

/** A running TallyServer on 127.0.0.1 ephemeral ports over a {@link RecordingStorage}, plus an HTTP client. */
public final class TestServer implements AutoCloseable {
    public final RecordingStorage storage;
    public final TallyServer server;
    public final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public TestServer() throws InterruptedException {
        this(c -> {});
    }

    public TestServer(Consumer<ServerConfig> tweak) throws InterruptedException {
        this(new RecordingStorage(), tweak);
    }

    public TestServer(RecordingStorage storage, Consumer<ServerConfig> tweak) throws InterruptedException {
        ServerConfig cfg = new ServerConfig();
        cfg.webListenAddress = new InetSocketAddress("127.0.0.1", 0);
        cfg.otlpListenAddress = new InetSocketAddress("127.0.0.1", 0);
        cfg.shutdownTimeout = Duration.ofSeconds(5);
        tweak.accept(cfg);
        this.storage = storage;
        this.server = new TallyServer(cfg, storage).start();
    }

    public String webUrl(String path) {
        return "http://127.0.0.1:" + server.webAddress().getPort() + path;
    }

    public String otlpUrl(String path) {
        return "http://127.0.0.1:" + server.otlpAddress().getPort() + path;
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

    @Override
    public void close() {
        server.close();
    }
}
