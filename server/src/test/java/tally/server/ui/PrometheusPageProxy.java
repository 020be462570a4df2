package tally.server.ui;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The page's files from one server and /api/ from another (a Prometheus), on one origin (127.0.0.1, a free port): how someone
 * would put the page in front of a Prometheus. Nothing is rewritten, so what the page shows is Prometheus's answers.
 */
final class PrometheusPageProxy implements AutoCloseable {
    private final HttpServer server;

    PrometheusPageProxy(String pageBase, String apiBase) throws IOException {
        this(pageBase, apiBase, 0);
    }

    /** ... holding every API answer back for {@code apiDelayMs} (a slow server, to see what the page shows meanwhile). */
    PrometheusPageProxy(String pageBase, String apiBase, long apiDelayMs) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        server.createContext("/", ex -> {
            boolean api = ex.getRequestURI().getPath().startsWith("/api/");
            if (api && apiDelayMs > 0) {
                try {
                    Thread.sleep(apiDelayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            forward(ex, api ? apiBase : pageBase);
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static void forward(HttpExchange ex, String base) throws IOException {
        try (ex) {
            HttpURLConnection c = (HttpURLConnection) URI.create(base + ex.getRequestURI().getRawPath()
                    + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery())).toURL().openConnection();
            c.setRequestMethod(ex.getRequestMethod());
            c.setConnectTimeout(5000);
            c.setReadTimeout(60000);
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            byte[] body = in == null ? new byte[0] : in.readAllBytes();
            for (Map.Entry<String, List<String>> h : c.getHeaderFields().entrySet()) {
                if (h.getKey() == null || h.getKey().equalsIgnoreCase("Transfer-Encoding") || h.getKey().equalsIgnoreCase("Content-Length")) continue;
                ex.getResponseHeaders().put(h.getKey(), h.getValue());
            }
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
