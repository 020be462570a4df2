package tally.server.grpc;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import org.junit.jupiter.api.Test;
import tally.server.otlp.ClaudeCodeCapture;
import tally.server.testing.ClaudeCodePayloads;
import tally.server.testing.TestServer;

import java.io.InputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tally.server.grpc.H2Client.METRICS;
import static tally.server.grpc.H2Client.LOGS;

/**
 * Claude Code's recorded gRPC metric exports ({@code grpc-default}: the request bodies exactly as received, with
 * its headers) replayed over h2c store the same series as the same exports' protobuf over OTLP/HTTP, and the
 * series the decoded payloads say.
 */
class ClaudeCodeGrpcReplayTest {
    /** The headers Claude Code 2.1.330 sent with each export (grpc-default/*.meta.json). */
    private static final String[] CLAUDE_CODE_HEADERS = {"grpc-timeout", "9999m", "grpc-accept-encoding", "identity,deflate,gzip",
            "accept-encoding", "identity", "user-agent", "OTel-OTLP-Exporter-JavaScript/0.208.0 grpc-node-js/1.14.4"};

    @Test
    void grpcReplayStoresWhatTheHttpReplayStores() throws Exception {
        List<ClaudeCodePayloads.Payload> payloads = ClaudeCodePayloads.load("grpc-default");
        assertEquals(7, payloads.size());
        try (TestServer grpc = new TestServer(); TestServer http = new TestServer(); H2Client c = new H2Client(grpc.grpcPort())) {
            for (ClaudeCodePayloads.Payload p : payloads) {
                assertEquals("application/grpc", p.contentType());
                // 1000-byte DATA frames: the 5-byte prefix and the message never line up with them
                H2Client.Reply r = c.call(H2Client.grpcHeaders(METRICS, CLAUDE_CODE_HEADERS), p.wire(), 1000);
                assertEquals(0, r.grpcStatus(), p.name() + ": " + r.grpcMessage());
                assertFalse(ExportMetricsServiceResponse.parseFrom(r.message()).hasPartialSuccess(), p.name());

                assertEquals(200, http.post(http.otlpUrl("/v1/metrics"), "application/x-protobuf", null, protobuf(p)).statusCode());
            }
            assertEquals(http.all(), grpc.all(), "gRPC and HTTP store the same series and samples, target_info included");
            ClaudeCodeCapture.assertSeries(ClaudeCodeCapture.expected(payloads), grpc.all());
            assertEquals(http.metadata(), grpc.metadata());
        }
    }

    /** Claude Code's event exports over gRPC derive the same series as over OTLP/HTTP (one logs ingest). */
    @Test
    void grpcLogsDeriveWhatHttpLogsDerive() throws Exception {
        List<ClaudeCodePayloads.Payload> logs = ClaudeCodePayloads.loadLogs("grpc-default");
        assertEquals(10, logs.size());
        try (TestServer grpc = new TestServer(); TestServer http = new TestServer(); H2Client c = new H2Client(grpc.grpcPort())) {
            for (ClaudeCodePayloads.Payload p : logs) {
                H2Client.Reply r = c.call(H2Client.grpcHeaders(LOGS, CLAUDE_CODE_HEADERS), H2Client.frame(false, p.wire()), 1000);
                assertEquals(0, r.grpcStatus(), p.name() + ": " + r.grpcMessage());
                assertFalse(ExportLogsServiceResponse.parseFrom(r.message()).hasPartialSuccess(), p.name());
                assertEquals(200, http.post(http.otlpUrl("/v1/logs"), "application/x-protobuf", null, p.wire()).statusCode());
            }
            assertFalse(grpc.byName("claude_code_api_requests_total").isEmpty(), "api_request events became series");
            assertEquals(http.all(), grpc.all(), "gRPC and HTTP derive the same series and samples from the events");
        }
    }

    /** A retried delta export is answered OK with partial_success, as over HTTP, and is not counted twice. */
    @Test
    void duplicateDeltaExportIsAPartialSuccess() throws Exception {
        List<ClaudeCodePayloads.Payload> payloads = ClaudeCodePayloads.load("grpc-default").subList(0, 2);
        try (TestServer s = new TestServer(); H2Client c = new H2Client(s.grpcPort())) {
            for (ClaudeCodePayloads.Payload p : payloads) assertEquals(0, c.call(METRICS, p.wire()).grpcStatus());
            ClaudeCodePayloads.Payload again = payloads.get(1);
            H2Client.Reply r = c.call(METRICS, again.wire());
            assertEquals(0, r.grpcStatus(), "partial success is still OK");
            ExportMetricsServiceResponse resp = ExportMetricsServiceResponse.parseFrom(r.message());
            assertEquals(ClaudeCodeCapture.points(again), resp.getPartialSuccess().getRejectedDataPoints());
            assertTrue(resp.getPartialSuccess().getErrorMessage().contains("out of order or duplicate"), resp.toString());
            ClaudeCodeCapture.assertSeries(ClaudeCodeCapture.expected(payloads), s.all());
        }
    }

    /** The capture's decoded protobuf (the .pb next to the .bin): what the gRPC frame carries. */
    private static byte[] protobuf(ClaudeCodePayloads.Payload p) throws Exception {
        try (InputStream in = ClaudeCodeGrpcReplayTest.class.getResourceAsStream(p.name() + ".pb")) {
            return in.readAllBytes();
        }
    }
}
