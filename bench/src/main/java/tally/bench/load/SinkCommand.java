package tally.bench.load;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code sink --port=P}: a remote-write target that reads each request and answers 204 without decoding it, so
 * that a forwarding benchmark measures the sender, not the receiver. Prints requests and bytes every 10 s; runs until
 * killed.
 */
final class SinkCommand {
    private SinkCommand() {}

    static int run(List<String> argv) throws Exception {
        Args a = new Args(argv);
        int port = a.integer("port", 0);
        AtomicLong requests = new AtomicLong(), bytes = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            requests.incrementAndGet();
            bytes.addAndGet(body.length);
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
        System.out.println("sink listening on 127.0.0.1:" + server.getAddress().getPort());
        while (true) {
            Thread.sleep(10_000);
            System.out.println("sink: " + requests.get() + " requests, " + bytes.get() + " bytes");
        }
    }
}
