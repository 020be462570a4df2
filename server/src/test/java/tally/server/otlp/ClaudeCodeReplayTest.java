package tally.server.otlp;

import tally.server.testing.ClaudeCodePayloads;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import org.junit.jupiter.api.Test;
import tally.model.Labels;
import tally.model.MetricMetadata;
import tally.server.testing.TestServer;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Replays real Claude Code exports through the HTTP endpoints and checks every series against the decoded payloads. */
class ClaudeCodeReplayTest {

    @Test
    void protobufDeltaBecomesCumulativeCounters() throws Exception {
        replayAndCheck("protobuf-default", false);
    }

    @Test
    void protobufCumulativeIsStoredAsSent() throws Exception {
        replayAndCheck("protobuf-cumulative", false);
    }

    @Test
    void jsonDeltaOnTheWebPort() throws Exception {
        replayAndCheck("json-default", true);
    }

    @Test
    void gzipProtobufDelta() throws Exception {
        replayAndCheck("protobuf-gzip-traces", false);
    }

    private void replayAndCheck(String capture, boolean webPort) throws Exception {
        List<ClaudeCodePayloads.Payload> payloads = ClaudeCodePayloads.load(capture);
        assertFalse(payloads.isEmpty());
        try (TestServer s = new TestServer()) {
            for (ClaudeCodePayloads.Payload p : payloads) {
                String url = webPort ? s.webUrl("/api/v1/otlp/v1/metrics") : s.otlpUrl("/v1/metrics");
                HttpResponse<byte[]> r = s.post(url, p.contentType(), p.contentEncoding(), p.wire());
                assertEquals(200, r.statusCode(), p.name() + ": " + new String(r.body()));
                assertEquals(p.contentType(), r.headers().firstValue("Content-Type").orElse(""));
                if (p.contentType().equals("application/x-protobuf")) {
                    ExportMetricsServiceResponse resp = ExportMetricsServiceResponse.parseFrom(r.body());
                    assertEquals(0, resp.getPartialSuccess().getRejectedDataPoints(), p.name());
                } else {
                    assertEquals("{}", new String(r.body()), p.name());
                }
            }
            ClaudeCodeCapture.assertSeries(ClaudeCodeCapture.expected(payloads), s.all());
            Labels targetInfo = ClaudeCodeCapture.targetInfo(payloads.get(0));
            assertEquals(Map.of(targetInfo, s.samples(targetInfo)), s.byName("target_info"));
            assertFalse(s.samples(targetInfo).isEmpty());
            assertEquals(List.of(new MetricMetadata("counter", "Number of tokens used", "tokens")),
                    s.metadata().get("claude_code_token_usage_tokens_total"));
            assertEquals("seconds", s.metadata().get("claude_code_active_time_seconds_total").get(0).unit());
        }
    }

    /** A Tally restart in the middle of a delta session keeps the running totals (recovered from storage). */
    @Test
    void deltaTotalsSurviveRestart() throws Exception {
        List<ClaudeCodePayloads.Payload> payloads = ClaudeCodePayloads.load("protobuf-default");
        Path dir = Files.createTempDirectory("tally-replay-");
        int half = payloads.size() / 2;
        try (TestServer s = new TestServer(dir, c -> {})) {
            for (ClaudeCodePayloads.Payload p : payloads.subList(0, half)) {
                assertEquals(200, s.post(s.otlpUrl("/v1/metrics"), p.contentType(), null, p.wire()).statusCode());
            }
        }
        try (TestServer s = new TestServer(dir, c -> {})) {
            for (ClaudeCodePayloads.Payload p : payloads.subList(half, payloads.size())) {
                assertEquals(200, s.post(s.otlpUrl("/v1/metrics"), p.contentType(), null, p.wire()).statusCode());
            }
            ClaudeCodeCapture.assertSeries(ClaudeCodeCapture.expected(payloads), s.all());
        }
    }

    /** An exporter retrying an export that was already stored must not double-count it. */
    @Test
    void replayedDeltaExportIsRefusedNotDoubleCounted() throws Exception {
        List<ClaudeCodePayloads.Payload> payloads = ClaudeCodePayloads.load("protobuf-default").subList(0, 2);
        try (TestServer s = new TestServer()) {
            for (ClaudeCodePayloads.Payload p : payloads) s.post(s.otlpUrl("/v1/metrics"), p.contentType(), null, p.wire());
            ClaudeCodePayloads.Payload again = payloads.get(1);
            HttpResponse<byte[]> r = s.post(s.otlpUrl("/v1/metrics"), again.contentType(), null, again.wire());
            assertEquals(200, r.statusCode());
            ExportMetricsServiceResponse resp = ExportMetricsServiceResponse.parseFrom(r.body());
            int points = ClaudeCodeCapture.points(again);
            assertEquals(points, resp.getPartialSuccess().getRejectedDataPoints());
            assertTrue(resp.getPartialSuccess().getErrorMessage().contains("out of order or duplicate"), resp.toString());
            ClaudeCodeCapture.assertSeries(ClaudeCodeCapture.expected(payloads), s.all());
        }
    }
}
