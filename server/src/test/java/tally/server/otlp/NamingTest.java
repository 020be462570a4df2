package tally.server.otlp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Prometheus's UnderscoreEscapingWithSuffixes rules for metric and label names. */
class NamingTest {
    private final MetricNamer names = new MetricNamer();

    @Test
    void claudeCodeMetricNames() {
        assertEquals("claude_code_token_usage_tokens_total", names.name("claude_code.token.usage", "tokens", MetricKind.MONOTONIC_COUNTER));
        assertEquals("claude_code_cost_usage_USD_total", names.name("claude_code.cost.usage", "USD", MetricKind.MONOTONIC_COUNTER));
        assertEquals("claude_code_active_time_seconds_total", names.name("claude_code.active_time.total", "s", MetricKind.MONOTONIC_COUNTER));
        assertEquals("claude_code_session_count_total", names.name("claude_code.session.count", "", MetricKind.MONOTONIC_COUNTER));
        assertEquals("claude_code_code_edit_tool_decision_total",
                names.name("claude_code.code_edit_tool.decision", "", MetricKind.MONOTONIC_COUNTER));
    }

    @Test
    void unitsSuffixesAndSpecialCases() {
        assertEquals("http_server_duration_seconds", names.name("http.server.duration", "s", MetricKind.HISTOGRAM));
        assertEquals("memory_usage_bytes", names.name("memory.usage", "By", MetricKind.GAUGE));
        assertEquals("net_io_bytes_per_second", names.name("net.io", "By/s", MetricKind.GAUGE));
        assertEquals("requests_per_minute", names.name("requests", "1/m", MetricKind.NON_MONOTONIC_COUNTER));
        assertEquals("cpu_utilization_ratio", names.name("cpu.utilization", "1", MetricKind.GAUGE));
        assertEquals("cpu_used_ratio", names.name("cpu.ratio.used", "1", MetricKind.GAUGE), "ratio moves to the end");
        assertEquals("queue_size", names.name("queue.size", "1", MetricKind.NON_MONOTONIC_COUNTER), "ratio only for gauges");
        assertEquals("requests_total", names.name("requests", "{request}", MetricKind.MONOTONIC_COUNTER), "annotations drop");
        assertEquals("requests_total", names.name("requests.total", "1", MetricKind.MONOTONIC_COUNTER));
        assertEquals("latency_ms_milliseconds_total", names.name("latency_ms", "ms", MetricKind.MONOTONIC_COUNTER));
        assertEquals("temp_celsius", names.name("temp", "Cel", MetricKind.GAUGE));
        assertEquals("_2xx_responses_total", names.name("2xx.responses", "", MetricKind.MONOTONIC_COUNTER));
        assertEquals("a_b_c_total", names.name("a..b__c", "", MetricKind.MONOTONIC_COUNTER));
        assertEquals("disk:io_bytes", names.name("disk:io", "By", MetricKind.GAUGE));
        assertEquals("seconds_total", names.name("seconds", "s", MetricKind.MONOTONIC_COUNTER), "unit word already a token");
        assertNull(names.name("...", "", MetricKind.GAUGE));
    }

    @Test
    void unitNames() {
        assertEquals("seconds", MetricNamer.unitName("s"));
        assertEquals("bytes_per_second", MetricNamer.unitName("By/s"));
        assertEquals("", MetricNamer.unitName("1"));
        assertEquals("", MetricNamer.unitName("{token}"));
        assertEquals("USD", MetricNamer.unitName("USD"));
    }

    @Test
    void labelNames() {
        assertEquals("session_id", LabelNamer.build("session.id"));
        assertEquals("key_0abc", LabelNamer.build("0abc"));
        assertEquals("a_b", LabelNamer.build("a__b"));
        assertEquals("a_b_", LabelNamer.build("a.b."));
        assertEquals("_private", LabelNamer.build("_private"));
        assertEquals("__reserved__", LabelNamer.build("__reserved__"));
        assertEquals("http_method", LabelNamer.build("http.method"));
        assertEquals("caf_", LabelNamer.build("café"));
        assertNull(LabelNamer.build("..."));
        assertNull(LabelNamer.build(""));
    }

    @Test
    void attributeValueFormatting() {
        assertEquals("1", AttributeValues.formatDouble(1.0));
        assertEquals("0.25", AttributeValues.formatDouble(0.25));
        assertEquals("1e-7", AttributeValues.formatDouble(1e-7));
        assertEquals("1.5e+21", AttributeValues.formatDouble(1.5e21));
        assertEquals("0.005", PromFormat.le(0.005));
        assertEquals("1000", PromFormat.le(1000));
        assertEquals("+Inf", PromFormat.le(Double.POSITIVE_INFINITY));
    }
}
