package tally.server.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;
import tally.server.testing.RecordingStorage;
import tally.server.testing.TestServer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpServerTest {

    @Test
    void healthReadyAndMetrics() throws Exception {
        try (TestServer s = new TestServer()) {
            HttpResponse<String> r = s.get(s.webUrl("/-/healthy"));
            assertEquals(200, r.statusCode());
            assertEquals("Tally is Healthy.\n", r.body());
            assertEquals("Tally is Ready.\n", s.get(s.otlpUrl("/-/ready")).body());
            String m = s.get(s.webUrl("/metrics")).body();
            assertTrue(m.contains("# TYPE tally_http_request_duration_seconds histogram"), m);
            assertTrue(m.contains("tally_http_request_duration_seconds_bucket{handler=\"/-/healthy\",le=\"+Inf\"} 1"), m);
            assertTrue(m.contains("tally_http_requests_total{handler=\"/-/ready\",code=\"200\"} 1"), m);
            assertTrue(m.contains("jvm_memory_heap_used_bytes "), m);
            assertTrue(m.contains("jvm_buffer_pool_used_bytes{pool=\"direct\"}"), m);
            assertTrue(m.contains("tally_otlp_delta_streams 0"), m);
            s.server.metrics().registry.register(out -> out.family("tally_storage_active_series", "Series in the head.", "gauge")
                    .sample("tally_storage_active_series", 12));
            assertTrue(s.get(s.webUrl("/metrics")).body().contains("tally_storage_active_series 12"), "storage hook");
        }
    }

    @Test
    void notFoundAndMethodNotAllowed() throws Exception {
        try (TestServer s = new TestServer()) {
            assertEquals(404, s.get(s.webUrl("/nope")).statusCode());
            HttpResponse<String> r = s.get(s.webUrl("/api/v1/write"));
            assertEquals(405, r.statusCode());
            assertEquals("POST", r.headers().firstValue("Allow").orElse(""));
            assertEquals(404, s.get(s.otlpUrl("/api/v1/write")).statusCode(), "remote-write only on the web port");
        }
    }

    /** Raw socket: chunked body, keep-alive across requests, and two pipelined requests answered in order. */
    @Test
    void chunkedKeepAliveAndPipelining() throws Exception {
        try (TestServer s = new TestServer()) {
            s.server.webRouter().add(HttpMethod.POST, "/echo", req -> Response.text(HttpResponseStatus.OK, "got " + req.bodyString()));
            try (Socket sock = new Socket("127.0.0.1", s.server.webAddress().getPort())) {
                OutputStream out = sock.getOutputStream();
                BufferedReader in = new BufferedReader(new InputStreamReader(sock.getInputStream(), StandardCharsets.UTF_8));
                out.write(("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertEquals("got hello world", readBody(in));
                out.write(("GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\nGET /-/ready HTTP/1.1\r\nHost: x\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertEquals("Tally is Healthy.", readBody(in));
                assertEquals("Tally is Ready.", readBody(in));
            }
        }
    }

    private static String readBody(BufferedReader in) throws Exception {
        String status = in.readLine();
        assertTrue(status.startsWith("HTTP/1.1 200"), status);
        int len = -1;
        String line;
        while (!(line = in.readLine()).isEmpty()) {
            if (line.toLowerCase().startsWith("content-length:")) len = Integer.parseInt(line.substring(15).trim());
        }
        char[] body = new char[len];
        int n = 0;
        while (n < len) n += in.read(body, n, len - n);
        return new String(body).trim();
    }

    @Test
    void shutdownFinishesInFlightRequestsAndClosesStorage() throws Exception {
        TestServer s = new TestServer(new RecordingStorage(), c -> {}); // RecordingStorage tells whether it was closed
        CountDownLatch inside = new CountDownLatch(1);
        s.server.webRouter().add(HttpMethod.GET, "/slow", req -> {
            inside.countDown();
            Thread.sleep(500);
            return Response.text(HttpResponseStatus.OK, "done");
        });
        AtomicReference<Object> result = new AtomicReference<>();
        Thread client = new Thread(() -> {
            try {
                result.set(s.get(s.webUrl("/slow")).body());
            } catch (Exception e) {
                result.set(e);
            }
        });
        client.start();
        inside.await();
        s.close();
        client.join();
        assertEquals("done\n", result.get());
        assertTrue(s.recording().isClosed());
    }
}
