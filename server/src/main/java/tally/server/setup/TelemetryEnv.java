package tally.server.setup;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The environment variables that point Claude Code's metrics and events (OTLP logs) at Tally.
 *
 * <p>Each signal is configured with its own variables: the generic {@code OTEL_EXPORTER_OTLP_ENDPOINT}/{@code _PROTOCOL}
 * also apply to traces, and would re-route a pipeline the user already has. A user who already sends Claude Code's
 * events to another OTLP endpoint keeps that pipeline (there is one logs endpoint per process) unless
 * {@code --replace-logs} asks for Tally.
 */
final class TelemetryEnv {
    static final String ENABLE = "CLAUDE_CODE_ENABLE_TELEMETRY";
    static final String EXPORTER = "OTEL_METRICS_EXPORTER";
    static final String PROTOCOL = "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL";
    static final String ENDPOINT = "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT";
    static final String INTERVAL = "OTEL_METRIC_EXPORT_INTERVAL";
    static final String TEMPORALITY = "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE";
    static final String LOGS_EXPORTER = "OTEL_LOGS_EXPORTER";
    static final String LOGS_PROTOCOL = "OTEL_EXPORTER_OTLP_LOGS_PROTOCOL";
    static final String LOGS_ENDPOINT = "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT";
    static final String GENERIC_ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";
    static final String HEADERS = "OTEL_EXPORTER_OTLP_METRICS_HEADERS";
    static final String LOGS_HEADERS = "OTEL_EXPORTER_OTLP_LOGS_HEADERS";
    static final String GENERIC_PROTOCOL = "OTEL_EXPORTER_OTLP_PROTOCOL";

    private TelemetryEnv() {}

    /**
     * The values to set, in a stable order.
     *
     * @param current the value a variable has now (settings.json's env block, else the environment), null when unset
     */
    static Map<String, String> wanted(SetupOptions options, Function<String, String> current) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(ENABLE, "1");
        env.put(EXPORTER, withOtlp(current.apply(EXPORTER)));
        env.put(PROTOCOL, options.transport().protocol);
        env.put(ENDPOINT, options.metricsEndpoint());
        if (options.intervalMillis() != null) {
            env.put(INTERVAL, Long.toString(options.intervalMillis()));
        }
        if (options.cumulative()) {
            env.put(TEMPORALITY, "cumulative");
        }
        if (options.token() != null) env.put(HEADERS, authorization(options.token()));
        if (otherLogsPipeline(options, current) == null) {
            env.put(LOGS_EXPORTER, withOtlp(current.apply(LOGS_EXPORTER)));
            env.put(LOGS_PROTOCOL, options.transport().protocol);
            env.put(LOGS_ENDPOINT, options.logsEndpoint());
            if (options.token() != null) env.put(LOGS_HEADERS, authorization(options.token()));
        }
        return env;
    }

    /**
     * Where Claude Code's events already go when that is not Tally: the logs endpoint, or the generic endpoint when an
     * {@code otlp} logs exporter is on; null when they go nowhere yet, to Tally already (or to the default
     * {@code localhost:4318} or, for gRPC, {@code localhost:4317}: Tally's own addresses), or {@code --replace-logs} was given.
     */
    static String otherLogsPipeline(SetupOptions options, Function<String, String> current) {
        if (options.replaceLogs()) return null;
        String logs = blankToNull(current.apply(LOGS_ENDPOINT));
        String generic = blankToNull(current.apply(GENERIC_ENDPOINT));
        String existing = logs != null ? logs
                : generic != null && hasOtlp(current.apply(LOGS_EXPORTER)) ? genericLogsUrl(generic, current) : null;
        return existing == null || sameUrl(existing, options.logsEndpoint()) || isTallyDefault(existing) ? null : existing;
    }

    /** The logs URL the SDK derives from the generic endpoint: over gRPC the address itself, over HTTP with /v1/logs. */
    private static String genericLogsUrl(String generic, Function<String, String> current) {
        String protocol = blankToNull(current.apply(LOGS_PROTOCOL));
        if (protocol == null) protocol = blankToNull(current.apply(GENERIC_PROTOCOL));
        String base = generic.replaceAll("/+$", "");
        return "grpc".equals(protocol) ? base : base + SetupOptions.LOGS_PATH;
    }

    /** What setup-claude writes by default for some protocol: a switch of protocol moves the events along. */
    private static boolean isTallyDefault(String logsUrl) {
        for (SetupOptions.Transport t : SetupOptions.Transport.values()) {
            if (sameUrl(logsUrl, t.signalUrl(t.defaultEndpoint, SetupOptions.LOGS_PATH))) return true;
        }
        return false;
    }

    private static boolean hasOtlp(String exporters) {
        if (exporters == null) return false;
        for (String e : exporters.split(",")) {
            if (e.trim().equals("otlp")) return true;
        }
        return false;
    }

    /** Same URL up to case of scheme and host, localhost for 127.0.0.1 and a trailing slash. */
    static boolean sameUrl(String a, String b) {
        return normalized(a).equals(normalized(b));
    }

    private static String normalized(String url) {
        try {
            URI u = new URI(url.trim());
            String host = u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
            if (host.equals("localhost")) host = "127.0.0.1";
            String path = u.getRawPath() == null ? "" : u.getRawPath().replaceAll("/+$", "");
            return (u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT)) + "://" + host + ":" + u.getPort() + path;
        } catch (URISyntaxException e) {
            return url.trim();
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /**
     * The OTel SDK's headers list (W3C baggage format: {@code key=value}, values percent-encoded), per signal: the
     * generic OTEL_EXPORTER_OTLP_HEADERS would also send the token to wherever traces go.
     */
    static String authorization(String token) {
        return "Authorization=Bearer%20" + token;
    }

    /** Keeps other exporters the user chose (e.g. {@code prometheus}) and adds {@code otlp}; {@code none} is dropped. */
    static String withOtlp(String current) {
        if (current == null || current.isBlank()) {
            return "otlp";
        }
        if (hasOtlp(current)) {
            return current;
        }
        StringBuilder kept = new StringBuilder();
        for (String part : current.split(",")) {
            String exporter = part.trim();
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
