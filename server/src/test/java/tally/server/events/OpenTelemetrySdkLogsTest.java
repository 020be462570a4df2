package tally.server.events;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.resources.Resource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tally.model.Labels;
import tally.server.testing.TestServer;

import java.time.Instant;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tally.server.events.ClaudeCodeEventsReplayTest.selfMetric;

/**
 * The OpenTelemetry Java SDK's OTLP log exporters, HTTP (on the OTLP port and the web port) and gRPC, with and
 * without gzip, send to Tally: Claude Code-shaped events land as series.
 */
class OpenTelemetrySdkLogsTest {

    @ParameterizedTest(name = "{0}, compression {1}")
    @CsvSource({"http, none", "http-web, gzip", "grpc, none", "grpc, gzip"})
    void sdkLogExporterFeedsTheDerivedMetrics(String transport, String compression) throws Exception {
        try (TestServer s = new TestServer()) {
            LogRecordExporter exporter = switch (transport) {
                case "grpc" -> OtlpGrpcLogRecordExporter.builder().setEndpoint("http://127.0.0.1:" + s.grpcPort())
                        .setCompression(compression).build();
                case "http-web" -> OtlpHttpLogRecordExporter.builder().setEndpoint(s.webUrl("/api/v1/otlp/v1/logs"))
                        .setCompression(compression).build();
                default -> OtlpHttpLogRecordExporter.builder().setEndpoint(s.otlpUrl("/v1/logs")).setCompression(compression).build();
            };
            Instant t0 = Instant.parse("2026-11-21T20:53:54.067Z");
            try (SdkLoggerProvider provider = SdkLoggerProvider.builder()
                    .setResource(Resource.create(Attributes.builder().put("service.name", "claude-code").put("service.version", "2.1.330").build()))
                    .addLogRecordProcessor(BatchLogRecordProcessor.builder(exporter).build())
                    .build()) {
                Logger events = provider.loggerBuilder("com.anthropic.claude_code.events").setInstrumentationVersion("2.1.330").build();
                for (int i = 0; i < 3; i++) {
                    events.logRecordBuilder().setTimestamp(t0.plusMillis(100L * i)).setBody("claude_code.tool_result")
                            .setAllAttributes(Attributes.builder().put("event.name", "tool_result").put("user.id", "u1")
                                    .put("session.id", "s-sdk").put("event.sequence", i).put("tool_name", "Read")
                                    .put("success", "true").put("duration_ms", String.valueOf(3 + i)).build())
                            .emit();
                }
                provider.get("my.library").logRecordBuilder().setTimestamp(t0).setBody("an ordinary log line").emit();
                CompletableResultCode flushed = provider.forceFlush().join(10, TimeUnit.SECONDS);
                assertTrue(flushed.isSuccess(), "export succeeded");
            }
            Labels calls = Labels.of("__name__", "claude_code_tool_calls_total", "job", "claude-code", "user_id", "u1",
                    "tool_name", "Read", "success", "true");
            long t = t0.toEpochMilli();
            assertEquals(new TreeMap<>(Map.of(t, 1.0, t + 100, 2.0, t + 200, 3.0)), s.samples(calls));
            NavigableMap<Long, Double> sum = s.samples(Labels.of("__name__", "claude_code_tool_duration_seconds_sum", "job", "claude-code",
                    "user_id", "u1", "tool_name", "Read"));
            assertEquals(0.012, sum.lastEntry().getValue(), 1e-12);
            assertEquals(1.0, selfMetric(s, "tally_otlp_log_records_total{scope=\"my.library\",event=\"\"}"));
            if (transport.equals("grpc")) {
                assertEquals(1.0, selfMetric(s, "tally_grpc_requests_total{method=\"logs\",code=\"0\"}"), "one export, over gRPC");
            }
        }
    }
}
