package tally.server.events;

import tally.model.MetricMetadata;

/**
 * A series family Tally derives from Claude Code's events (see docs/claude-code-events.md), with the metadata it
 * reports. Counters carry their {@code _total} name; histograms their base name ({@code _bucket}, {@code _sum},
 * {@code _count} are added when written) and bucket bounds.
 *
 * <p>Bucket bounds cover the ranges Claude Code really produces, in steps of about 2 to 2.5 so that
 * {@code histogram_quantile} stays within a factor of about 2 anywhere in the range, and with a bound at the values
 * people set alerts on (1 s, 10 s, 60 s). The captured sessions (a local mock API) measured API calls 0.6-1 s, first
 * tokens 0.6 s, tools 8-153 ms, prompts 51-85 characters and a subagent 0.9 s; real sessions are slower, so the
 * ranges below follow Claude Code's documented limits rather than the mock.
 */
record DerivedMetric(String name, String type, String help, String unit, double[] bounds) {
    static final String COUNTER = "counter";
    static final String HISTOGRAM = "histogram";

    static final DerivedMetric API_REQUESTS = counter("claude_code_api_requests_total",
            "Requests Claude Code made to the model API (api_request events).");
    static final DerivedMetric API_ERRORS = counter("claude_code_api_errors_total",
            "Model API requests that failed for good (api_error events; a retry that later succeeded emits none).");
    static final DerivedMetric API_RETRIES_EXHAUSTED = counter("claude_code_api_retries_exhausted_total",
            "Model API requests that failed after every retry (api_retries_exhausted events).");
    static final DerivedMetric TOOL_CALLS = counter("claude_code_tool_calls_total",
            "Tool calls that ran, by tool and success (tool_result events; a rejected call has none).");
    static final DerivedMetric TOOL_DECISIONS = counter("claude_code_tool_decisions_total",
            "Permission decisions on tool calls, by tool, decision and source (tool_decision events).");
    static final DerivedMetric USER_PROMPTS = counter("claude_code_user_prompts_total",
            "Prompts the user submitted (user_prompt events).");

    /** 0.1 s to 10 min: a short non-streamed reply takes ~0.5 s, a long output or extended thinking several minutes. */
    static final DerivedMetric API_REQUEST_DURATION = histogram("claude_code_api_request_duration_seconds",
            "Duration of model API requests (api_request duration_ms).", "seconds",
            0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600);
    /** 50 ms to 60 s: a warm cache answers in a few hundred ms, a large uncached context or an overloaded API in tens of s. */
    static final DerivedMetric API_TTFT = histogram("claude_code_api_time_to_first_token_seconds",
            "Time from sending a model API request to its first token (api_request ttft_ms).", "seconds",
            0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60);
    /**
     * 1 ms to 10 min: Read/Glob/Edit take milliseconds, Bash and WebFetch seconds to minutes; 120 s is Bash's default
     * timeout and 600 s its maximum, so both are bounds.
     */
    static final DerivedMetric TOOL_DURATION = histogram("claude_code_tool_duration_seconds",
            "Duration of tool calls (tool_result duration_ms).", "seconds",
            0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120, 600);
    /** 1 to 100k characters: a one-word reply up to a pasted file or log. */
    static final DerivedMetric PROMPT_LENGTH = histogram("claude_code_prompt_length_chars",
            "Length of user prompts in characters (user_prompt prompt_length).", "chars",
            10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000);
    /** 1 s to 1 h: a subagent runs from one quick API call to a long autonomous task. */
    static final DerivedMetric SUBAGENT_DURATION = histogram("claude_code_subagent_duration_seconds",
            "Duration of subagent runs (subagent_completed duration_ms).", "seconds",
            1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600);

    private static DerivedMetric counter(String name, String help) {
        return new DerivedMetric(name, COUNTER, help, "", null);
    }

    private static DerivedMetric histogram(String name, String help, String unit, double... bounds) {
        return new DerivedMetric(name, HISTOGRAM, help, unit, bounds);
    }

    MetricMetadata metadata() {
        return new MetricMetadata(type, help, unit);
    }

    /** Index of the bucket holding {@code v}: the first bound with v <= bound (le is inclusive), bounds.length for +Inf. */
    int bucket(double v) {
        int i = 0;
        while (i < bounds.length && v > bounds[i]) i++;
        return i;
    }
}
