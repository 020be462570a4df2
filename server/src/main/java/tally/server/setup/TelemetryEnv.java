package tally.server.setup;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment variables that point Claude Code's metrics at Tally.
 *
 * <p>Only the metrics signal is configured, with the per-signal variables: the generic
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT}/{@code _PROTOCOL} also apply to logs and traces, so setting them
 * would send Claude Code's events to Tally (which has no {@code /v1/logs}) or re-route a logs
 * pipeline the user already has.
 */
final class TelemetryEnv {
    static final String ENABLE = "CLAUDE_CODE_ENABLE_TELEMETRY";
    static final String EXPORTER = "OTEL_METRICS_EXPORTER";
    static final String PROTOCOL = "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL";
    static final String ENDPOINT = "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT";
    static final String INTERVAL = "OTEL_METRIC_EXPORT_INTERVAL";
    static final String TEMPORALITY = "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE";

    private TelemetryEnv() {}

    /**
     * The values to set, in a stable order.
     *
     * @param currentExporter the {@code OTEL_METRICS_EXPORTER} value already configured, or null
     */
    static Map<String, String> wanted(SetupOptions options, String currentExporter) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(ENABLE, "1");
        env.put(EXPORTER, withOtlp(currentExporter));
        env.put(PROTOCOL, "http/protobuf");
        env.put(ENDPOINT, options.metricsEndpoint());
        if (options.intervalMillis() != null) {
            env.put(INTERVAL, Long.toString(options.intervalMillis()));
        }
        if (options.cumulative()) {
            env.put(TEMPORALITY, "cumulative");
        }
        return env;
    }

    /** Keeps other exporters the user chose (e.g. {@code prometheus}) and adds {@code otlp}; {@code none} is dropped. */
    static String withOtlp(String current) {
        if (current == null || current.isBlank()) {
            return "otlp";
        }
        StringBuilder kept = new StringBuilder();
        for (String part : current.split(",")) {
            String exporter = part.trim();
            if (exporter.equals("otlp")) {
                return current;
            }
            if (!exporter.isEmpty() && !exporter.equals("none")) {
                kept.append(exporter).append(',');
            }
        }
        return kept.append("otlp").toString();
    }

    /** {@code export NAME=value} lines for a POSIX shell, values single-quoted when they need it. */
    static String exportLines(Map<String, String> env) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> e : env.entrySet()) {
            out.append("export ").append(e.getKey()).append('=').append(shellQuote(e.getValue())).append('\n');
        }
        return out.toString();
    }

    static String shellQuote(String value) {
        if (!value.isEmpty() && value.matches("[A-Za-z0-9_./:,=@%+-]+")) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
