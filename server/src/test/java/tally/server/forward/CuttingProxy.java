package tally.server.forward;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback that cuts one connection in {@code cutEvery} after the first {@code cutAfterBytes} bytes
 * of its request (mid-request: the receiver never sees it whole), and passes the others through for at most
 * {@link #PASS_MILLIS}, so that a client's kept-alive connection ends and the next one may be cut again.
 */
final class CuttingProxy implements AutoCloseable {
    static final long PASS_MILLIS = 300;
    private final ServerSocket server;
    private final int targetPort;
    private final int cutEvery;
    private final int cutAfterBytes;
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger cut = new AtomicInteger();

    CuttingProxy(int targetPort, int cutEvery, int cutAfterBytes) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.cutEvery = cutEvery;
        this.cutAfterBytes = cutAfterBytes;
        Thread t = new Thread(this::accept, "cutting-proxy");
        t.setDaemon(true);
        t.start();
    }

    int port() { return server.getLocalPort(); }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                int n = connections.incrementAndGet();
                Thread t = new Thread(() -> serve(client, n % cutEvery == 1 % cutEvery), "cutting-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client, boolean cutThis) {
        try (client; Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort)) {
            if (cutThis) {
                InputStream in = client.getInputStream();
                OutputStream up = upstream.getOutputStream();
                byte[] buf = new byte[cutAfterBytes];
                int got = 0, r;
                while (got < buf.length && (r = in.read(buf, got, buf.length - got)) > 0) got += r;
                up.write(buf, 0, got);
                up.flush();
                cut.incrementAndGet();
                client.setSoLinger(true, 0); // a reset, as a dying proxy or load balancer sends
                return;
            }
            Thread back = new Thread(() -> pipe(upstream, client), "cutting-proxy-back");
            back.setDaemon(true);
            back.start();
            Thread forth = new Thread(() -> pipe(client, upstream), "cutting-proxy-forth");
            forth.setDaemon(true);
            forth.start();
            forth.join(PASS_MILLIS);
            back.join(10);
        } catch (IOException | InterruptedException e) {
            // a connection ended: the client sees it and retries
        }
    }

    private static void pipe(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buf = new byte[16384];
            int r;
            while ((r = in.read(buf)) > 0) {
                out.write(buf, 0, r);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
