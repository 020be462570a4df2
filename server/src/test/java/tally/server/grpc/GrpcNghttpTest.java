package tally.server.grpc;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.server.otlp.ClaudeCodeCapture;
import tally.server.testing.ClaudeCodePayloads;
import tally.server.testing.ExternalTool;
import tally.server.testing.TestServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An HTTP/2 client that is not ours: nghttp (Debian's nghttp2-client, installed by .ci/run) posts a recorded
 * Claude Code gRPC body with the gRPC headers and sees the gRPC reply. Skipped, saying so, without nghttp.
 */
class GrpcNghttpTest {

    @Test
    void nghttpReplaysARecordedExport(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(ExternalTool.onPath("nghttp"), "nghttp is not installed (apt-get install nghttp2-client): skipping the nghttp client test");
        List<ClaudeCodePayloads.Payload> payloads = ClaudeCodePayloads.load("grpc-default").subList(0, 1);
        Path body = Files.write(dir.resolve("export.bin"), payloads.get(0).wire());
        try (TestServer s = new TestServer()) {
            String base = "http://127.0.0.1:" + s.grpcPort();
            String out = run(dir, "nghttp", "-v", "-H", ":method: POST", "-H", "content-type: application/grpc", "-H", "te: trailers",
                    "-d", body.toString(), base + H2Client.METRICS);
            assertTrue(out.contains("grpc-status: 0"), out);
            assertTrue(out.contains("; END_STREAM | END_HEADERS"), "the status comes in trailers that end the stream:\n" + out);
            ClaudeCodeCapture.assertSeries(ClaudeCodeCapture.expected(payloads), s.all());

            out = run(dir, "nghttp", "-v", "-H", ":method: POST", "-H", "content-type: application/grpc", "-H", "te: trailers",
                    "-d", body.toString(), base + "/opentelemetry.proto.collector.trace.v1.TraceService/Export");
            assertTrue(out.contains("grpc-status: 12"), out);
            assertTrue(out.contains("grpc-message: Tally stores metrics and logs, not traces"), out);
        }
    }

    private static String run(Path dir, String... cmd) throws Exception {
        ExternalTool.Result r = ExternalTool.run(dir, cmd); // fails the test if nghttp hangs (the server did not answer)
        assertEquals(0, r.exitCode(), r.output());
        return r.output();
    }
}
