package tally.server.events;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import org.junit.jupiter.api.Test;
import tally.model.Labels;
import tally.server.testing.RecordingStorage;
import tally.server.testing.TestServer;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tally.server.events.ClaudeCodeEventsReplayTest.selfMetric;
import static tally.server.events.EventLogs.SCOPE;
import static tally.server.events.EventLogs.event;
import static tally.server.events.EventLogs.record;
import static tally.server.events.EventLogs.request;

/** Claude Code events built by hand: value types, bad fields, other logs, identity labels, late events, failures. */
class ClaudeCodeEventsTest {
    private static final String PB = "application/x-protobuf";
    private static final long T = 1_795_294_432_000L; // 2026-11-21, inside the default retention

    private static ExportLogsServiceResponse send(TestServer s, ExportLogsServiceRequest req) throws Exception {
        HttpResponse<byte[]> r = s.post(s.otlpUrl("/v1/logs"), PB, null, req.toByteArray());
        assertEquals(200, r.statusCode(), new String(r.body()));
        return ExportLogsServiceResponse.parseFrom(r.body());
    }

    private static Labels series(String name, String... labels) {
        TreeMap<String, String> m = new TreeMap<>(Map.of("__name__", name, "job", "claude-code", "user_id", EventLogs.USER));
        for (int i = 0; i < labels.length; i += 2) m.put(labels[i], labels[i + 1]);
        return Labels.fromMap(m);
    }

    private static double last(TestServer s, String name, String... labels) {
        NavigableMap<Long, Double> samples = s.samples(series(name, labels));
        assertFalse(samples.isEmpty(), name + " " + List.of(labels) + " in " + s.byName(name).keySet());
        return samples.lastEntry().getValue();
    }

    @Test
    void numbersSentAsStringsParse() throws Exception {
        try (TestServer s = new TestServer()) {
            send(s, request(SCOPE,
                    event("tool_result", T, "s1", 1, "tool_name", "Bash", "success", "true", "duration_ms", "250"),
                    event("user_prompt", T + 1, "s1", 2, "prompt_length", "1234"),
                    event("api_request", T + 2, "s1", 3, "model", "m", "query_source", "sdk", "duration_ms", 1500.0, "ttft_ms", " 300 ")));
            assertEquals(1.0, last(s, "claude_code_tool_calls_total", "tool_name", "Bash", "success", "true"));
            assertEquals(0.0, last(s, "claude_code_tool_duration_seconds_bucket", "tool_name", "Bash", "le", "0.1"));
            assertEquals(1.0, last(s, "claude_code_tool_duration_seconds_bucket", "tool_name", "Bash", "le", "0.25"), "le is inclusive");
            assertEquals(0.25, last(s, "claude_code_tool_duration_seconds_sum", "tool_name", "Bash"), 1e-12);
            assertEquals(0.0, last(s, "claude_code_prompt_length_chars_bucket", "le", "1000"));
            assertEquals(1.0, last(s, "claude_code_prompt_length_chars_bucket", "le", "2500"));
            assertEquals(1234.0, last(s, "claude_code_prompt_length_chars_sum"));
            assertEquals(1.5, last(s, "claude_code_api_request_duration_seconds_sum", "model", "m"), 1e-12);
            assertEquals(0.3, last(s, "claude_code_api_time_to_first_token_seconds_sum", "model", "m"), 1e-12);
            assertEquals(0.0, selfMetric(s, "tally_events_rejected_fields_total{event=\"tool_result\",field=\"duration_ms\"}"));
        }
    }

    /** A field that does not parse is counted on /metrics; the event's counter still counts, its histogram does not. */
    @Test
    void badNumericFieldIsRejectedAndTheEventStillCounts() throws Exception {
        try (TestServer s = new TestServer()) {
            ExportLogsServiceResponse r = send(s, request(SCOPE,
                    event("tool_result", T, "s1", 1, "tool_name", "Bash", "success", "maybe", "duration_ms", "12ms"),
                    event("user_prompt", T + 1, "s1", 2, "prompt_length", "long"),
                    event("api_request", T + 2, "s1", 3, "model", "m", "duration_ms", -5L, "ttft_ms", "NaN")));
            assertFalse(r.hasPartialSuccess(), "the records were accepted: " + r);
            assertEquals(1.0, last(s, "claude_code_tool_calls_total", "tool_name", "Bash"), "counted without a success label");
            assertEquals(1.0, last(s, "claude_code_user_prompts_total"));
            assertEquals(1.0, last(s, "claude_code_api_requests_total", "model", "m"));
            assertTrue(s.byName("claude_code_tool_duration_seconds_count").isEmpty());
            assertTrue(s.byName("claude_code_prompt_length_chars_count").isEmpty());
            assertTrue(s.byName("claude_code_api_request_duration_seconds_count").isEmpty());
            assertTrue(s.byName("claude_code_api_time_to_first_token_seconds_count").isEmpty());
            for (String[] f : List.of(new String[] {"tool_result", "duration_ms"}, new String[] {"tool_result", "success"},
                    new String[] {"user_prompt", "prompt_length"}, new String[] {"api_request", "duration_ms"},
                    new String[] {"api_request", "ttft_ms"})) {
                assertEquals(1.0, selfMetric(s, "tally_events_rejected_fields_total{event=\"" + f[0] + "\",field=\"" + f[1] + "\"}"),
                        String.join(".", f));
            }
        }
    }

    /** Other scopes and unknown Claude Code events are accepted, counted by name on /metrics, and make no series. */
    @Test
    void otherLogsAndUnknownEventsMakeNoSeries() throws Exception {
        try (TestServer s = new TestServer()) {
            ExportLogsServiceResponse r = send(s, request(new String[] {"service.name", "shop"}, "my.app",
                    record("user logged in", T, "event.name", "login", "session.id", "s1", "event.sequence", 1L),
                    record("user logged in", T + 1, "event.name", "login"),
                    record("plain line", T + 2)));
            assertFalse(r.hasPartialSuccess());
            send(s, request(SCOPE, event("brand_new_event", T, "s1", 1, "duration_ms", "5"),
                    event("assistant_response", T + 1, "s1", 2, "model", "m")));
            assertEquals(Map.of(), s.all());
            assertEquals(2.0, selfMetric(s, "tally_otlp_log_records_total{scope=\"my.app\",event=\"login\"}"));
            assertEquals(1.0, selfMetric(s, "tally_otlp_log_records_total{scope=\"my.app\",event=\"\"}"));
            assertEquals(1.0, selfMetric(s, "tally_otlp_log_records_total{scope=\"" + SCOPE + "\",event=\"brand_new_event\"}"));
            assertEquals(1.0, selfMetric(s, "tally_otlp_log_records_total{scope=\"" + SCOPE + "\",event=\"assistant_response\"}"));
        }
    }

    /** Event names come from senders: past the cap, new ones are counted as _other. */
    @Test
    void eventNamesOnMetricsAreCapped() throws Exception {
        try (TestServer s = new TestServer()) {
            for (int batch = 0; batch < 3; batch++) {
                io.opentelemetry.proto.logs.v1.LogRecord[] records = new io.opentelemetry.proto.logs.v1.LogRecord[100];
                for (int i = 0; i < records.length; i++) records[i] = record("x", T, "event.name", "e" + (batch * 100 + i));
                send(s, request(new String[] {"service.name", "noisy"}, "noisy.scope", records));
            }
            String metrics = s.get(s.webUrl("/metrics")).body();
            long lines = metrics.lines().filter(l -> l.startsWith("tally_otlp_log_records_total{")).count();
            assertEquals(257, lines, "256 names and _other");
            assertEquals(300 - 256.0, selfMetric(s, "tally_otlp_log_records_total{scope=\"noisy.scope\",event=\"_other\"}"));
        }
    }

    @Test
    void recordsWithoutSessionOrSequenceCountWithoutDedup() throws Exception {
        try (TestServer s = new TestServer()) {
            ExportLogsServiceRequest req = request(SCOPE,
                    record("claude_code.user_prompt", T, "event.name", "user_prompt", "user.id", EventLogs.USER),
                    record("claude_code.user_prompt", T + 1, "event.name", "user_prompt", "user.id", EventLogs.USER, "session.id", "s1"),
                    record("claude_code.user_prompt", T + 2, "event.name", "user_prompt", "user.id", EventLogs.USER, "session.id", "s1",
                            "event.sequence", "not a number"));
            send(s, req);
            send(s, req);
            assertEquals(6.0, last(s, "claude_code_user_prompts_total"));
            assertEquals(2.0, selfMetric(s, "tally_events_rejected_fields_total{event=\"user_prompt\",field=\"event.sequence\"}"));
        }
    }

    /** event.sequence as a string still identifies the record; the body names the event when event.name is missing. */
    @Test
    void sequenceAsStringAndEventNameFromBody() throws Exception {
        try (TestServer s = new TestServer()) {
            ExportLogsServiceRequest req = request(SCOPE, record("claude_code.api_error", T, "user.id", EventLogs.USER,
                    "session.id", "s1", "event.sequence", "7", "model", "m", "status_code", "529"));
            send(s, req);
            send(s, req);
            assertEquals(1.0, last(s, "claude_code_api_errors_total", "model", "m", "status_code", "529"));
        }
    }

    /**
     * A late batch whose events are older than samples already written: counted, placed 1 ms after the series' last
     * sample; an event with its own time later than that keeps its time.
     */
    @Test
    void lateEventsCountAfterTheSeriesLastSample() throws Exception {
        try (TestServer s = new TestServer()) {
            send(s, request(SCOPE, event("api_error", T + 5000, "s1", 5, "model", "m", "status_code", 500L)));
            send(s, request(SCOPE, event("api_error", T + 3000, "s1", 3, "model", "m", "status_code", 500L),
                    event("api_error", T + 2000, "s1", 2, "model", "m", "status_code", 500L)));
            send(s, request(SCOPE, event("api_error", T + 9000, "s1", 9, "model", "m", "status_code", 500L)));
            NavigableMap<Long, Double> samples = s.samples(series("claude_code_api_errors_total", "model", "m", "status_code", "500"));
            assertEquals(new TreeMap<>(Map.of(T + 5000, 1.0, T + 5001, 2.0, T + 5002, 3.0, T + 9000, 4.0)), samples);
        }
    }

    /** The identity labels of an OAuth login, and job/instance from the resource as for metrics; no session or prompt ids. */
    @Test
    void identityLabelsFollowTheMetricsRules() throws Exception {
        try (TestServer s = new TestServer(c -> c.promoteResourceAttributes = List.of("host.arch"))) {
            send(s, request(new String[] {"service.name", "claude-code", "service.namespace", "team-a", "service.instance.id", "laptop-1",
                    "host.arch", "arm64", "os.type", "darwin"}, SCOPE,
                    event("tool_decision", T, "s1", 1, "tool_name", "Edit", "decision", "accept", "source", "config", "tool_source", "builtin",
                            "user.email", "dev@example.com", "organization.id", "org-1", "user.account_uuid", "acc-1",
                            "terminal.type", "vscode", "prompt.id", "p1", "tool_use_id", "toolu_1", "request_id", "req_1",
                            "anthropic.provider", "firstParty")));
            assertEquals(Map.of(Labels.of("__name__", "claude_code_tool_decisions_total", "job", "team-a/claude-code", "instance", "laptop-1",
                    "host_arch", "arm64", "user_id", EventLogs.USER, "user_email", "dev@example.com", "organization_id", "org-1",
                    "user_account_uuid", "acc-1", "terminal_type", "vscode", "tool_name", "Edit", "decision", "accept", "source", "config"),
                    new TreeMap<>(Map.of(T, 1.0))), s.all());
        }
    }

    /** Label limits refuse the derived samples: the records are reported as rejected (partial success). */
    @Test
    void refusedSamplesAreRejectedLogRecords() throws Exception {
        try (TestServer s = new TestServer(c -> c.maxLabelsPerSeries = 8)) {
            ExportLogsServiceResponse r = send(s, request(SCOPE,
                    event("tool_decision", T, "s1", 1, "tool_name", "Write", "decision", "accept", "source", "config",
                            "terminal.type", "vscode", "user.email", "dev@example.com", "organization.id", "org-1"),
                    event("tool_decision", T + 1, "s1", 2, "tool_name", "Edit", "decision", "accept", "source", "config")));
            assertEquals(1, r.getPartialSuccess().getRejectedLogRecords(), r.toString());
            assertTrue(r.getPartialSuccess().getErrorMessage().contains("9 labels, more than the limit of 8"), r.toString());
            assertEquals(1.0, last(s, "claude_code_tool_decisions_total", "tool_name", "Edit", "decision", "accept", "source", "config"));
        }
    }

    /** A commit that fails answers 503 + Retry-After and counts nothing; the exporter's retry then counts once. */
    @Test
    void storageFailureIs503AndTheRetryCountsOnce() throws Exception {
        RecordingStorage storage = new RecordingStorage();
        try (TestServer s = new TestServer(storage, c -> {})) {
            ExportLogsServiceRequest req = request(SCOPE, event("user_prompt", T, "s1", 1, "prompt_length", "10"),
                    event("api_error", T + 1, "s1", 2, "model", "m"));
            storage.failCommits(new IllegalStateException("disk on fire"));
            HttpResponse<byte[]> r = s.post(s.otlpUrl("/v1/logs"), PB, null, req.toByteArray());
            assertEquals(503, r.statusCode());
            assertEquals("5", r.headers().firstValue("Retry-After").orElse(""));
            assertEquals(Map.of(), storage.all());
            storage.failCommits(null);
            send(s, req);
            send(s, req);
            assertEquals(1.0, storage.samples(series("claude_code_user_prompts_total")).lastEntry().getValue());
            assertEquals(1.0, storage.samples(series("claude_code_api_errors_total", "model", "m")).lastEntry().getValue());
            assertEquals(1.0, storage.samples(series("claude_code_prompt_length_chars_count")).lastEntry().getValue());
        }
    }

    /** OTLP/JSON on both ports, gzip and deflate bodies, as for metrics. */
    @Test
    void jsonAndCompressedBodies() throws Exception {
        try (TestServer s = new TestServer()) {
            String json = "{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"claude-code\"}}]},"
                    + "\"scopeLogs\":[{\"scope\":{\"name\":\"" + SCOPE + "\"},\"logRecords\":[{\"timeUnixNano\":\"" + T + "000000\","
                    + "\"body\":{\"stringValue\":\"claude_code.user_prompt\"},\"attributes\":["
                    + "{\"key\":\"event.name\",\"value\":{\"stringValue\":\"user_prompt\"}},{\"key\":\"user.id\",\"value\":{\"stringValue\":\"u1\"}},"
                    + "{\"key\":\"session.id\",\"value\":{\"stringValue\":\"s1\"}},{\"key\":\"event.sequence\",\"value\":{\"intValue\":1}},"
                    + "{\"key\":\"prompt_length\",\"value\":{\"stringValue\":\"42\"}}]}]}]}]}";
            HttpResponse<byte[]> r = s.post(s.webUrl("/api/v1/otlp/v1/logs"), "application/json", null, json.getBytes());
            assertEquals(200, r.statusCode(), new String(r.body()));
            assertEquals("{}", new String(r.body()));
            byte[] gz = Compress.gzip(request(SCOPE, event("user_prompt", T + 1, "s1", 2)).toByteArray());
            assertEquals(200, s.post(s.otlpUrl("/v1/logs"), PB, "gzip", gz).statusCode());
            byte[] deflated = Compress.deflate(request(SCOPE, event("user_prompt", T + 2, "s1", 3)).toByteArray());
            assertEquals(200, s.post(s.otlpUrl("/v1/logs"), PB, "deflate", deflated).statusCode());
            assertEquals(3.0, last(s, "claude_code_user_prompts_total"));
            assertEquals(42.0, last(s, "claude_code_prompt_length_chars_sum"));
        }
    }
}
