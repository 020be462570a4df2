package tally.server.otlp.logs;

import tally.server.metrics.Counter;
import tally.server.metrics.MetricFamily;
import tally.server.metrics.MetricsRegistry;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code tally_otlp_log_records_total{scope,event}}: every log record received, by instrumentation scope and event
 * name, so logs that derive no series (other scopes, Claude Code events Tally does not know) are still visible.
 * Both values come from senders, so each has a cap on distinct values; past it they count as {@value #OTHER}.
 */
final class LogRecordCounts {
    static final String OTHER = "_other";
    static final int MAX_SCOPES = 64;
    static final int MAX_EVENTS = 256;
    private static final int MAX_VALUE_LENGTH = 128;

    private final MetricFamily<Counter> records;
    private final Set<String> scopes = ConcurrentHashMap.newKeySet();
    private final Set<String> events = ConcurrentHashMap.newKeySet();

    LogRecordCounts(MetricsRegistry registry) {
        records = registry.counter("tally_otlp_log_records_total",
                "OTLP log records received, by instrumentation scope and event name (at most " + MAX_SCOPES + " scopes and "
                        + MAX_EVENTS + " event names; beyond, " + OTHER + ").", "scope", "event");
    }

    void received(String scope, String event) {
        records.labels(capped(scope, scopes, MAX_SCOPES), capped(event, events, MAX_EVENTS)).inc();
    }

    private static String capped(String value, Set<String> known, int max) {
        if (value.length() > MAX_VALUE_LENGTH) return OTHER;
        if (known.contains(value)) return value;
        if (known.size() >= max) return OTHER;
        known.add(value);
        return value;
    }
}
