package tally.rules.notify;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in Alertmanager on 127.0.0.1: records every request and answers with a status the test sets, or holds
 * requests unanswered until released (a slow or hung Alertmanager).
 */
final class FakeAlertmanager implements AutoCloseable {
    /** What the stand-in saw of one request. */
    record Request(String method, String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) return e.getValue().get(0);
            }
            return null;
        }

        List<Map<String, Object>> alerts() {
            return Json.parseArrayOfObjects(body);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-alertmanager");
        t.setDaemon(true);
        return t;
    });
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile CountDownLatch hold = new CountDownLatch(0);
    private volatile String redirectTo;

    FakeAlertmanager() throws IOException {
        this("127.0.0.1");
    }

    /** On another loopback address (127.0.0.2 is a different host name for the same machine). */
    FakeAlertmanager(String address) throws IOException {
        server = HttpServer.create(new InetSocketAddress(address, 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor); // a held request must not stop the others from being answered
        server.start();
    }

    /** host:port, as a static target. */
    String target() {
        return server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    int port() {
        return server.getAddress().getPort();
    }

    void answer(int status) {
        this.status = status;
    }

    /** From now on requests wait unanswered until {@link #release()}. */
    void hold() {
        hold = new CountDownLatch(1);
    }

    void release() {
        hold.countDown();
    }

    /** Answers 307 with this Location from now on. */
    void redirectTo(String location) {
        redirectTo = location;
    }

    List<Request> requests() {
        return new ArrayList<>(requests);
    }

    /** Alerts of all requests, in the order received. */
    List<Map<String, Object>> alerts() {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Request r : requests) all.addAll(r.alerts());
        return all;
    }

    void awaitRequests(int n) {
        Poll.until(() -> requests.size() >= n, Poll.DEFAULT, () -> "expected " + n + " requests, got " + requests.size());
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(), Map.copyOf(ex.getRequestHeaders()), body));
            try {
                hold.await();
            } catch (InterruptedException e) {
                return;
            }
            String location = redirectTo;
            if (location != null) {
                ex.getResponseHeaders().add("Location", location);
                ex.sendResponseHeaders(307, -1);
                return;
            }
            ex.sendResponseHeaders(status, -1);
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
