package tally.server.events;

import io.opentelemetry.proto.common.v1.AnyValue;

import java.util.Set;

/**
 * What each Claude Code event adds to the derived series (docs/claude-code-events.md). Label values that are absent
 * are left out (Prometheus's "absent = empty"); a numeric field that does not parse is reported and its histogram
 * skipped, but the event's counter still counts.
 */
final class EventDeriver {
    /** Where derived increments go. Labels are (name, value) pairs; null values are left out. */
    interface Sink {
        void count(DerivedMetric metric, ClaudeCodeEvent event, String... labels);

        void observe(DerivedMetric metric, ClaudeCodeEvent event, double value, String... labels);

        void rejectedField(ClaudeCodeEvent event, String field);
    }

    /** The events that derive series; every other Claude Code event is only counted on /metrics. */
    static final Set<String> DERIVING = Set.of("api_request", "api_error", "api_retries_exhausted", "tool_result", "tool_decision",
            "user_prompt", "subagent_completed");

    private EventDeriver() {}

    static void derive(ClaudeCodeEvent e, Sink sink) {
        switch (e.name()) {
            case "api_request" -> {
                String model = e.text("model");
                sink.count(DerivedMetric.API_REQUESTS, e, "model", model, "query_source", e.text("query_source"));
                observe(DerivedMetric.API_REQUEST_DURATION, e, "duration_ms", 1e-3, sink, "model", model);
                observe(DerivedMetric.API_TTFT, e, "ttft_ms", 1e-3, sink, "model", model);
            }
            case "api_error" -> sink.count(DerivedMetric.API_ERRORS, e, "model", e.text("model"), "status_code", e.text("status_code"));
            case "api_retries_exhausted" -> sink.count(DerivedMetric.API_RETRIES_EXHAUSTED, e,
                    "model", e.text("model"), "status_code", e.text("status_code"));
            case "tool_result" -> {
                String tool = e.text("tool_name");
                sink.count(DerivedMetric.TOOL_CALLS, e, "tool_name", tool, "success", success(e, sink));
                observe(DerivedMetric.TOOL_DURATION, e, "duration_ms", 1e-3, sink, "tool_name", tool);
            }
            case "tool_decision" -> sink.count(DerivedMetric.TOOL_DECISIONS, e,
                    "tool_name", e.text("tool_name"), "decision", e.text("decision"), "source", e.text("source"));
            case "user_prompt" -> {
                sink.count(DerivedMetric.USER_PROMPTS, e);
                observe(DerivedMetric.PROMPT_LENGTH, e, "prompt_length", 1, sink);
            }
            case "subagent_completed" -> observe(DerivedMetric.SUBAGENT_DURATION, e, "duration_ms", 1e-3, sink,
                    "agent_type", e.text("agent_type"));
            default -> {
                // assistant_response, plugin_loaded, hook_execution_complete, events of newer releases...: no series
            }
        }
    }

    /** Observes {@code field * scale} when the field is present; a value that is not a finite number >= 0 is rejected. */
    private static void observe(DerivedMetric metric, ClaudeCodeEvent e, String field, double scale, Sink sink, String... labels) {
        AnyValue raw = e.attr(field);
        if (raw == null) return;
        double v = EventValues.number(raw);
        if (!(v >= 0) || Double.isInfinite(v)) {
            sink.rejectedField(e, field);
            return;
        }
        sink.observe(metric, e, v * scale, labels);
    }

    /** tool_result's {@code success}: "true"/"false" as a string (as Claude Code sends it) or a bool. */
    private static String success(ClaudeCodeEvent e, Sink sink) {
        AnyValue raw = e.attr("success");
        if (raw == null) return null;
        String v = EventValues.bool(raw);
        if (v == null) sink.rejectedField(e, "success");
        return v;
    }
}
