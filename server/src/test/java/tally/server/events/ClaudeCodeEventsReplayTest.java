package tally.server.events;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import org.junit.jupiter.api.Test;
import tally.model.Labels;
import tally.model.MetricMetadata;
import tally.server.testing.ClaudeCodePayloads;
import tally.server.testing.ClaudeCodePayloads.Payload;
import tally.server.testing.TestServer;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays the log exports of every recorded Claude Code session over OTLP/HTTP and checks every derived series
 * against the events counted independently from the decoded payloads ({@link ExpectedEventSeries}).
 */
class ClaudeCodeEventsReplayTest {

    /** Each capture as it was sent: protobuf, JSON (on the web port), gzip, and the gRPC capture's messages. */
    @Test
    void everyCaptureGivesTheCountsItsEventsSay() throws Exception {
        for (String capture : ClaudeCodePayloads.LOG_CAPTURES) {
            List<Payload> payloads = ClaudeCodePayloads.loadLogs(capture);
            assertFalse(payloads.isEmpty(), capture);
            ExpectedEventSeries expected = ExpectedEventSeries.of(payloads);
            assertTrue(expected.byEvent.keySet().containsAll(List.of("api_request", "api_error", "tool_result", "tool_decision",
                    "user_prompt", "subagent_completed")), capture + " has every kind of event: " + expected.byEvent);
            try (TestServer s = new TestServer()) {
                boolean web = capture.startsWith("json");
                for (Payload p : payloads) send(s, p, web);
                assertDerived(expected, s, capture);
                assertEventTimes(expected, s, capture);
                assertEquals(0.0, selfMetric(s, "tally_events_duplicates_total"), capture);
            }
        }
    }

    /** What the captures show besides counts: identity labels, no ids as labels, metadata, buckets per value. */
    @Test
    void labelsAndMetadata() throws Exception {
        List<Payload> payloads = ClaudeCodePayloads.loadLogs("protobuf-default");
        try (TestServer s = new TestServer()) {
            for (Payload p : payloads) send(s, p, false);
            Map<Labels, NavigableMap<Long, Double>> all = s.all();
            for (Labels l : all.keySet()) {
                for (String forbidden : List.of("session_id", "prompt_id", "request_id", "tool_use_id", "event_sequence", "agent_id")) {
                    assertNull(l.get(forbidden), forbidden + " on " + l);
                }
                assertEquals("claude-code", l.get("job"), l.toString());
                assertEquals("f1df6d661dbf68bfda25a6b086fa774b9f911aaff0bed2bafa5413927e1621ee", l.get("user_id"), l.toString());
                assertEquals("dumb", l.get("terminal_type"), l.toString());
            }
            assertEquals(new MetricMetadata("counter", "Requests Claude Code made to the model API (api_request events).", ""),
                    s.metadata().get("claude_code_api_requests_total").get(0));
            MetricMetadata tools = s.metadata().get("claude_code_tool_duration_seconds").get(0);
            assertEquals("histogram", tools.type());
            assertEquals("seconds", tools.unit());
            assertEquals("chars", s.metadata().get("claude_code_prompt_length_chars").get(0).unit());
            // the 400 that ended prompt 3, on the model that was in use
            Labels error = Labels.of("__name__", "claude_code_api_errors_total", "job", "claude-code", "model", "claude-opus-4-1",
                    "status_code", "400", "terminal_type", "dumb", "user_id", "f1df6d661dbf68bfda25a6b086fa774b9f911aaff0bed2bafa5413927e1621ee");
            assertEquals(1.0, s.samples(error).lastEntry().getValue());
        }
    }

    /** An exporter that resends every export (a retry after a lost reply) counts each event once. */
    @Test
    void everyExportSentTwiceCountsOnce() throws Exception {
        for (String capture : List.of("protobuf-default", "json-default")) {
            List<Payload> payloads = ClaudeCodePayloads.loadLogs(capture);
            List<Payload> twice = new ArrayList<>();
            for (Payload p : payloads) {
                twice.add(p);
                twice.add(p);
            }
            twice.addAll(payloads); // and the whole session again at the end
            ExpectedEventSeries expected = ExpectedEventSeries.of(payloads);
            try (TestServer s = new TestServer()) {
                for (Payload p : twice) send(s, p, false);
                assertDerived(expected, s, capture);
                assertEquals(2.0 * expected.records, selfMetric(s, "tally_events_duplicates_total"), capture);
            }
        }
    }

    /** Batches arriving in reverse order (late and interleaved exports) still count exactly, each series in time order. */
    @Test
    void exportsInReverseOrderCountTheSame() throws Exception {
        for (String capture : List.of("protobuf-default", "protobuf-gzip-traces")) {
            List<Payload> payloads = new ArrayList<>(ClaudeCodePayloads.loadLogs(capture));
            ExpectedEventSeries expected = ExpectedEventSeries.of(payloads);
            Collections.reverse(payloads);
            try (TestServer s = new TestServer()) {
                for (Payload p : payloads) send(s, p, false);
                assertDerived(expected, s, capture + " reversed");
            }
        }
    }

    /** A restart, then the exporter resends what was already counted: running totals resume, nothing counts twice. */
    @Test
    void restartThenResendDoesNotDoubleCount() throws Exception {
        List<Payload> payloads = ClaudeCodePayloads.loadLogs("protobuf-default");
        ExpectedEventSeries expected = ExpectedEventSeries.of(payloads);
        Path dir = Files.createTempDirectory("tally-events-restart-");
        int half = payloads.size() / 2;
        try (TestServer s = new TestServer(dir, c -> {})) {
            for (Payload p : payloads.subList(0, half + 1)) send(s, p, false);
        }
        try (TestServer s = new TestServer(dir, c -> {})) {
            for (Payload p : payloads) send(s, p, false); // the first half + 1 again, then the rest for the first time
            assertDerived(expected, s, "after restart");
        }
        try (TestServer s = new TestServer(dir, c -> {})) {
            for (Payload p : payloads) send(s, p, false);
            assertDerived(expected, s, "after a second restart");
            assertEquals(expected.records, selfMetric(s, "tally_events_duplicates_total"));
        }
    }

    static void send(TestServer s, Payload p, boolean webPort) throws Exception {
        String url = webPort ? s.webUrl("/api/v1/otlp/v1/logs") : s.otlpUrl("/v1/logs");
        HttpResponse<byte[]> r = s.post(url, p.contentType(), p.contentEncoding(), p.wire());
        assertEquals(200, r.statusCode(), p.name() + ": " + new String(r.body()));
        assertEquals(p.contentType(), r.headers().firstValue("Content-Type").orElse(""));
        if (p.contentType().equals("application/json")) {
            assertEquals("{}", new String(r.body()), p.name());
        } else {
            assertFalse(ExportLogsServiceResponse.parseFrom(r.body()).hasPartialSuccess(), p.name());
        }
    }

    /**
     * Every stored series is an expected one with the expected final value; counters have one sample per event
     * (nothing written twice) and never go down.
     */
    static void assertDerived(ExpectedEventSeries expected, TestServer s, String what) {
        Map<Map<String, String>, NavigableMap<Long, Double>> stored = new HashMap<>();
        s.all().forEach((l, samples) -> stored.put(l.toMap(), samples));
        Set<Map<String, String>> missing = new HashSet<>(expected.values.keySet());
        missing.removeAll(stored.keySet());
        Set<Map<String, String>> extra = new HashSet<>(stored.keySet());
        extra.removeAll(expected.values.keySet());
        assertEquals(Set.of(), missing, what + ": series not stored");
        assertEquals(Set.of(), extra, what + ": series not expected");
        for (Map.Entry<Map<String, String>, Double> e : expected.values.entrySet()) {
            NavigableMap<Long, Double> samples = stored.get(e.getKey());
            assertEquals(e.getValue(), samples.lastEntry().getValue(), 1e-9, what + ": " + e.getKey());
            double prev = Double.NEGATIVE_INFINITY;
            for (double v : samples.values()) {
                assertTrue(v >= prev, what + ": " + e.getKey() + " goes down: " + samples);
                prev = v;
            }
            if (e.getKey().get("__name__").endsWith("_total")) {
                assertEquals(e.getValue(), samples.size(), 1e-9, what + ": one sample per event of " + e.getKey() + ": " + samples);
            }
        }
    }

    /** Sent in order, each counter's first sample is at its first event's time (the record's time_unix_nano). */
    private static void assertEventTimes(ExpectedEventSeries expected, TestServer s, String what) {
        for (Map.Entry<Map<String, String>, Long> e : expected.firstTime.entrySet()) {
            NavigableMap<Long, Double> samples = s.samples(Labels.fromMap(e.getKey()));
            assertEquals(e.getValue(), samples.firstKey(), what + ": " + e.getKey());
        }
    }

    /** A sample of Tally's own /metrics (no labels), 0 when absent. */
    static double selfMetric(TestServer s, String series) throws Exception {
        for (String line : s.get(s.webUrl("/metrics")).body().split("\n")) {
            if (line.startsWith(series + " ")) return Double.parseDouble(line.substring(series.length() + 1).trim());
        }
        return 0;
    }
}
