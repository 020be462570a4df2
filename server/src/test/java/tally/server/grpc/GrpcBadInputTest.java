package tally.server.grpc;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import org.junit.jupiter.api.Test;
import tally.model.Labels;
import tally.server.testing.TestServer;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tally.server.grpc.H2Client.METRICS;
import static tally.server.grpc.H2Client.frame;
import static tally.server.otlp.Otlp.gauge;
import static tally.server.otlp.Otlp.gzip;

/**
 * Every kind of bad gRPC request gets its status, on one connection, and after each one another call on the same
 * connection still works and the data acknowledged before is still there.
 */
class GrpcBadInputTest {
    private static final Labels KEPT = Labels.of("__name__", "kept", "job", "svc");

    /** A prefix announcing {@code length} bytes, without the message. */
    private static byte[] prefix(int flag, long length) {
        return ByteBuffer.allocate(5).put((byte) flag).putInt((int) length).array();
    }

    @Test
    void badRequestsGetTheirStatusAndTheConnectionKeepsServing() throws Exception {
        try (TestServer s = new TestServer(); H2Client c = new H2Client(s.grpcPort())) {
            H2Client.Reply ok = c.call(METRICS, frame(false, gauge("kept", 1000, 7)));
            assertEquals(0, ok.grpcStatus());
            assertEquals("200", ok.status());
            assertEquals("application/grpc", ok.headers().get("content-type").toString());
            assertFalse(ExportMetricsServiceResponse.parseFrom(ok.message()).hasPartialSuccess());
            long t = 2000;

            H2Client.Reply r = c.call(H2Client.grpcHeaders(METRICS, "content-type", "application/json"), "{}".getBytes(), 100);
            assertEquals("415", r.status(), "not a gRPC content type: a plain HTTP status");
            assertEquals(null, r.grpcStatus());
            t = stillServing(s, c, t);

            r = c.call(H2Client.grpcHeaders(METRICS, "content-type", null), frame(false, gauge("x", 1, 1)), 100);
            assertEquals("415", r.status(), "no content type");

            byte[] whole = frame(false, gauge("cut", 1000, 1));
            r = c.call(METRICS, Arrays.copyOf(whole, whole.length - 3));
            assertEquals(GrpcStatus.INTERNAL, r.grpcStatus(), "END_STREAM in the middle of the message is a framing error");
            assertTrue(r.grpcMessage().contains("middle of a message"), r.grpcMessage());
            r = c.call(METRICS, new byte[] {0, 0, 0});
            assertEquals(GrpcStatus.INTERNAL, r.grpcStatus(), "END_STREAM in the middle of the prefix");
            r = c.call(METRICS, new byte[0]);
            assertEquals(GrpcStatus.INTERNAL, r.grpcStatus(), "no message at all");
            assertTrue(r.grpcMessage().contains("without a message"), r.grpcMessage());
            byte[] two = new byte[2 * whole.length];
            System.arraycopy(whole, 0, two, 0, whole.length);
            System.arraycopy(whole, 0, two, whole.length, whole.length);
            r = c.call(METRICS, two);
            assertEquals(GrpcStatus.INTERNAL, r.grpcStatus(), "two messages in a unary call");
            t = stillServing(s, c, t);

            r = c.call(METRICS, frame(true, gauge("x", 1, 1)));
            assertEquals(GrpcStatus.INTERNAL, r.grpcStatus(), "compressed flag without grpc-encoding");
            assertTrue(r.grpcMessage().contains("compressed flag"), r.grpcMessage());
            r = c.call(METRICS, frame(true, gzip(gauge("x", 1, 1))), "grpc-encoding", "identity");
            assertEquals(GrpcStatus.INTERNAL, r.grpcStatus(), "compressed flag with grpc-encoding identity");
            r = c.call(METRICS, frame(false, gauge("x", 1, 1)), "grpc-encoding", "snappy");
            assertEquals(GrpcStatus.UNIMPLEMENTED, r.grpcStatus(), "unknown grpc-encoding");
            assertEquals("gzip,deflate,identity", r.headers().get("grpc-accept-encoding").toString());
            r = c.call(METRICS, frame(true, "not gzip".getBytes()), "grpc-encoding", "gzip");
            assertEquals(GrpcStatus.INVALID_ARGUMENT, r.grpcStatus(), "corrupt gzip data");
            t = stillServing(s, c, t);

            int limit = 16 << 20; // the default --otlp.grpc.max-recv-msg-size
            H2Client.Call big = c.open(H2Client.grpcHeaders(METRICS), false);
            big.data(prefix(0, limit + 1L), false).data(new byte[1000], false); // no need to send the 16 MiB
            r = big.await();
            assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, r.grpcStatus(), "announced length over the limit");
            assertTrue(r.grpcMessage().contains("max-recv-msg-size"), r.grpcMessage());
            assertTrue(big.stream.closeFuture().await(5, java.util.concurrent.TimeUnit.SECONDS),
                    "answered before the client finished: RST_STREAM NO_ERROR closes the stream, so the client stops sending");
            r = c.call(METRICS, frame(true, gzip(new byte[limit + 1])), "grpc-encoding", "gzip");
            assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, r.grpcStatus(), "16 MiB + 1 of zeros in ~16 KB of gzip");
            t = stillServing(s, c, t);

            byte[] garbage = new byte[2048];
            new Random(7).nextBytes(garbage);
            r = c.call(METRICS, frame(false, garbage));
            assertEquals(GrpcStatus.INVALID_ARGUMENT, r.grpcStatus(), "garbage protobuf");
            assertTrue(r.grpcMessage().startsWith("cannot decode OTLP protobuf body"), r.grpcMessage());
            r = c.call(METRICS, frame(false, new byte[0]));
            assertEquals(0, r.grpcStatus(), "an empty message is an empty request");
            t = stillServing(s, c, t);

            r = c.call("/opentelemetry.proto.collector.trace.v1.TraceService/Export", frame(false, new byte[] {1, 2, 3}));
            assertEquals(GrpcStatus.UNIMPLEMENTED, r.grpcStatus());
            assertEquals("Tally stores metrics and logs, not traces (set OTEL_TRACES_EXPORTER=none)", r.grpcMessage());
            r = c.call("/opentelemetry.proto.collector.logs.v1.LogsService/Export", frame(false, new byte[0]));
            assertEquals(GrpcStatus.OK, r.grpcStatus(), "an empty logs export is accepted: " + r.grpcMessage());
            r = c.call("/no.such.Service/Export", frame(false, new byte[0]));
            assertEquals(GrpcStatus.UNIMPLEMENTED, r.grpcStatus(), "unknown method");
            r = c.call(H2Client.grpcHeaders(METRICS).method("GET"), new byte[0], 1);
            assertEquals("405", r.status());
            t = stillServing(s, c, t);

            assertTrue(c.isOpen(), "every error above was per stream");
            assertEquals(1000L, s.samples(KEPT).firstKey(), "data acknowledged before is intact");
            String metrics = s.get(s.webUrl("/metrics")).body();
            assertTrue(metrics.contains("tally_grpc_requests_total{method=\"metrics\",code=\"13\"} 6"), metrics);
            assertTrue(metrics.contains("tally_grpc_requests_total{method=\"traces\",code=\"12\"} 1"), metrics);
        }
    }

    /** One more good call on the same connection, and its sample is there. */
    private static long stillServing(TestServer s, H2Client c, long t) throws Exception {
        assertEquals(0, c.call(METRICS, frame(false, gauge("kept", t, 7))).grpcStatus());
        assertEquals(7.0, s.samples(KEPT).get(t));
        return t + 1000;
    }

    @Test
    void http11OnTheGrpcPortIsClosedNotLeftHanging() throws Exception {
        try (TestServer s = new TestServer(); Socket socket = new Socket("127.0.0.1", s.grpcPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + METRICS + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/grpc\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[4096];
            int total = 0;
            int n;
            while ((n = in.read(buf)) >= 0) total += n; // a SocketTimeoutException here would mean the server hangs
            assertTrue(total < buf.length, "at most the server's SETTINGS and GOAWAY, then end of stream: " + total);
            try (H2Client c = new H2Client(s.grpcPort())) {
                assertEquals(0, c.call(METRICS, frame(false, gauge("after", 1000, 1))).grpcStatus(), "the listener still serves");
            }
        }
    }

    @Test
    void storageFailureIsUnavailable() throws Exception {
        try (TestServer s = new TestServer(new tally.server.testing.RecordingStorage(), cfg -> {}); H2Client c = new H2Client(s.grpcPort())) {
            s.recording().failCommits(new IllegalStateException("disk full"));
            H2Client.Reply r = c.call(METRICS, frame(false, gauge("lost", 1000, 1)));
            assertEquals(GrpcStatus.UNAVAILABLE, r.grpcStatus());
            assertTrue(r.grpcMessage().contains("disk full"), r.grpcMessage());
            s.recording().failCommits(null);
            assertEquals(0, c.call(METRICS, frame(false, gauge("lost", 1000, 1))).grpcStatus(), "the retry is accepted");
            assertEquals(Map.of(1000L, 1.0), s.recording().samples(Labels.of("__name__", "lost", "job", "svc")));
        }
    }
}
