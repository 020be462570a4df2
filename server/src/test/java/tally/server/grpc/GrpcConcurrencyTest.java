package tally.server.grpc;

import io.netty.handler.codec.http2.Http2Error;
import org.junit.jupiter.api.Test;
import tally.model.Labels;
import tally.server.testing.RecordingStorage;
import tally.server.testing.TestServer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tally.server.grpc.H2Client.METRICS;
import static tally.server.grpc.H2Client.frame;
import static tally.server.otlp.Otlp.gauge;

/** Streams of one connection are independent: interleaved, stalled, or blocked in the storage. */
class GrpcConcurrencyTest {

    @Test
    void interleavedStreamsOnOneConnectionAllLand() throws Exception {
        try (TestServer s = new TestServer(); H2Client c = new H2Client(s.grpcPort())) {
            int n = 50;
            List<H2Client.Call> calls = new ArrayList<>();
            List<byte[]> bodies = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                calls.add(c.open(H2Client.grpcHeaders(METRICS), false));
                bodies.add(frame(false, gauge("g" + i, 1000, i)));
            }
            // 7-byte DATA frames, round-robin over the streams: no frame lines up with a message or its prefix
            int chunk = 7;
            boolean more = true;
            for (int off = 0; more; off += chunk) {
                more = false;
                for (int i = 0; i < n; i++) {
                    byte[] b = bodies.get(i);
                    if (off >= b.length) continue;
                    int end = Math.min(b.length, off + chunk);
                    calls.get(i).data(Arrays.copyOfRange(b, off, end), end == b.length);
                    more |= end < b.length;
                }
            }
            for (int i = 0; i < n; i++) {
                assertEquals(0, calls.get(i).await().grpcStatus(), "stream " + i);
                assertEquals((double) i, s.samples(Labels.of("__name__", "g" + i, "job", "svc")).get(1000L));
            }
        }
    }

    /**
     * A stream whose message stops arriving holds only itself: other streams on the connection are answered; with a
     * grpc-timeout it is reset with CANCEL when the deadline passes, without one it stays open (until the server's
     * 60 s read timeout, or the client goes away).
     */
    @Test
    void stalledStreamsDoNotBlockOthers() throws Exception {
        try (TestServer s = new TestServer(); H2Client c = new H2Client(s.grpcPort())) {
            byte[] partial = ByteBuffer.allocate(15).put((byte) 0).putInt(1000).array(); // announces 1000 bytes, sends 10
            H2Client.Call noDeadline = c.open(H2Client.grpcHeaders(METRICS), false).data(partial, false);
            long start = System.nanoTime();
            H2Client.Call withDeadline = c.open(H2Client.grpcHeaders(METRICS, "grpc-timeout", "300m"), false).data(partial, false);

            assertEquals(0, c.call(METRICS, frame(false, gauge("meanwhile", 1000, 1))).grpcStatus());
            assertFalse(noDeadline.reply.isDone());

            H2Client.Reply r = withDeadline.await();
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(r.wasReset(), "reset, not answered: " + r);
            assertEquals(Http2Error.CANCEL.code(), r.resetCode());
            assertTrue(waited >= 250, "not before its deadline: " + waited + " ms");

            assertEquals(0, c.call(METRICS, frame(false, gauge("meanwhile", 2000, 2))).grpcStatus());
            assertFalse(noDeadline.reply.isDone(), "no deadline: still waiting for the rest of its message");
            noDeadline.data(new byte[990], true);
            assertEquals(GrpcStatus.INVALID_ARGUMENT, noDeadline.await().grpcStatus(), "1000 zero bytes are not a request");
            assertTrue(s.get(s.webUrl("/metrics")).body().contains("tally_grpc_requests_total{method=\"metrics\",code=\"cancelled\"} 1"));
        }
    }

    /** The export runs on a worker: while one call waits in the storage, the connection answers the others. */
    @Test
    void aCallBlockedInTheStorageDoesNotBlockTheConnection() throws Exception {
        try (TestServer s = new TestServer(new RecordingStorage(), cfg -> cfg.maxIngestInFlight = 1);
             H2Client c = new H2Client(s.grpcPort())) {
            RecordingStorage.CommitHold hold = s.recording().holdCommits();
            H2Client.Call slow = c.open(H2Client.grpcHeaders(METRICS), false).data(frame(false, gauge("slow", 1000, 1)), true);
            assertTrue(hold.awaitHeld());

            H2Client.Reply busy = c.call(METRICS, frame(false, gauge("fast", 1000, 1)));
            assertEquals(GrpcStatus.UNAVAILABLE, busy.grpcStatus(), "over --ingest.max-inflight-requests: retryable");
            assertTrue(busy.grpcMessage().contains("too many ingest requests in flight"), busy.grpcMessage());
            assertEquals(GrpcStatus.UNIMPLEMENTED, c.call("/opentelemetry.proto.collector.trace.v1.TraceService/Export",
                    frame(false, new byte[0])).grpcStatus());
            assertFalse(slow.reply.isDone());

            hold.release();
            assertEquals(0, slow.await().grpcStatus());
            assertEquals(0, c.call(METRICS, frame(false, gauge("fast", 1000, 1))).grpcStatus(), "the retry goes through");
        }
    }
}
