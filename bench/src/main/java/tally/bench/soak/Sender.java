package tally.bench.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import tally.bench.load.GrpcClient;

/** Sends one body over one transport and reads the answer, including OTLP's partial_success. */
abstract class Sender implements AutoCloseable {
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    abstract Outcome send(byte[] body) throws InterruptedException;

    @Override
    public void close() {}

    static Sender of(Transport t, int webPort, int otlpPort, int grpcPort) {
        return switch (t) {
            case REMOTE_WRITE -> new Http("http://127.0.0.1:" + webPort + "/api/v1/write", true);
            case OTLP_HTTP -> new Http("http://127.0.0.1:" + otlpPort + "/v1/metrics", false);
            case OTLP_LOGS -> new Http("http://127.0.0.1:" + otlpPort + "/v1/logs", false);
            case OTLP_GRPC -> new Grpc(URI.create("http://127.0.0.1:" + grpcPort),
                    "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export");
        };
    }

    static final class Http extends Sender {
        private final URI uri;
        private final boolean remoteWrite;

        Http(String url, boolean remoteWrite) {
            this.uri = URI.create(url);
            this.remoteWrite = remoteWrite;
        }

        @Override
        Outcome send(byte[] body) throws InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (remoteWrite) b.header("Content-Encoding", "snappy").header("X-Prometheus-Remote-Write-Version", "0.1.0");
            try {
                HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                int code = r.statusCode();
                byte[] reply = r.body();
                if (code / 100 == 2) return new Outcome(code, remoteWrite ? "" : Proto.partialMessage(reply), remoteWrite ? 0 : Proto.partialRejected(reply));
                String ct = r.headers().firstValue("Content-Type").orElse("");
                String retry = r.headers().firstValue("Retry-After").map(v -> " [Retry-After: " + v + "]").orElse("");
                return new Outcome(code, text(reply, ct) + retry, 0);
            } catch (IOException e) {
                return new Outcome(-1, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), 0);
            }
        }

        /** An OTLP error body is a google.rpc.Status; others are text. */
        private static String text(byte[] body, String contentType) {
            String s = contentType.contains("protobuf") ? Proto.statusMessage(body) : new String(body, StandardCharsets.UTF_8);
            s = s.strip().replaceAll("\\s+", " ");
            return s.length() > 300 ? s.substring(0, 300) + "..." : s;
        }
    }

    /** One HTTP/2 connection, opened again after Tally restarts. */
    static final class Grpc extends Sender {
        private final URI target;
        private final String path;
        private GrpcClient client;

        Grpc(URI target, String path) {
            this.target = target;
            this.path = path;
        }

        @Override
        Outcome send(byte[] body) throws InterruptedException {
            try {
                if (client == null) client = new GrpcClient(target);
                GrpcClient.Result r = client.call(path, body);
                if (r.status() == 0) return new Outcome(1000, Proto.partialMessage(r.reply()), Proto.partialRejected(r.reply()));
                if (r.status() < 0) reset(); // an HTTP-level answer without gRPC status
                return new Outcome(r.status() < 0 ? -1 : 1000 + r.status(), r.message(), 0);
            } catch (IOException e) {
                reset();
                return new Outcome(-1, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), 0);
            }
        }

        private void reset() {
            if (client != null) client.close();
            client = null;
        }

        @Override
        public void close() {
            reset();
        }
    }
}
