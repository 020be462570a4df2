package tally.server.setup;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The parsed command line of {@code tally setup-claude}.
 *
 * @param metricsEndpoint the full metrics URL (OTEL_EXPORTER_OTLP_METRICS_ENDPOINT)
 * @param logsEndpoint    the full logs URL (OTEL_EXPORTER_OTLP_LOGS_ENDPOINT), from the same --endpoint
 * @param replaceLogs     send Claude Code's events to Tally even when the user already sends them elsewhere
 * @param token           a write-only ingest token of Tally's web config, sent as a bearer token; null for none
 */
record SetupOptions(Transport transport, String metricsEndpoint, String logsEndpoint, Long intervalMillis, boolean cumulative,
                    boolean replaceLogs, boolean dryRun, boolean shell, boolean help, Path settingsFile, String token) {

    static final String DEFAULT_ENDPOINT = "http://127.0.0.1:4318";
    static final String DEFAULT_GRPC_ENDPOINT = "http://127.0.0.1:4317";
    static final String METRICS_PATH = "/v1/metrics";
    static final String LOGS_PATH = "/v1/logs";

    /**
     * How Claude Code reaches Tally: the value of OTEL_EXPORTER_OTLP_*_PROTOCOL, the default endpoint, and how a
     * signal's URL is made from --endpoint.
     */
    enum Transport {
        HTTP_PROTOBUF("http/protobuf", DEFAULT_ENDPOINT),
        HTTP_JSON("http/json", DEFAULT_ENDPOINT),
        /** gRPC names the service in the request, not in the URL: each signal's endpoint is the address itself. */
        GRPC("grpc", DEFAULT_GRPC_ENDPOINT);

        final String protocol;
        final String defaultEndpoint;

        Transport(String protocol, String defaultEndpoint) {
            this.protocol = protocol;
            this.defaultEndpoint = defaultEndpoint;
        }

        /** The per-signal URL, used as is by the OTel SDK (nothing appended to a per-signal variable). */
        String signalUrl(String baseUrl, String signalPath) {
            return this == GRPC ? baseUrl : baseUrl + signalPath;
        }

        static Transport parse(String text) throws UsageException {
            for (Transport t : values()) {
                if (t.protocol.equals(text.trim().toLowerCase(Locale.ROOT))) return t;
            }
            throw new UsageException("--protocol must be http/protobuf, http/json or grpc: " + text);
        }
    }

    /** Thrown for a command line that cannot be used; the message is shown to the user as is. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    static SetupOptions parse(String[] args, Path home) throws UsageException {
        String endpoint = null;
        Transport transport = Transport.HTTP_PROTOBUF;
        Long interval = null;
        boolean cumulative = false, replaceLogs = false, dryRun = false, shell = false, help = false;
        String token = null;
        Path settings = home.resolve(".claude").resolve("settings.json");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg, value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            switch (name) {
                case "--endpoint":
                    endpoint = value != null ? value : next(args, ++i, name);
                    break;
                case "--protocol":
                    transport = Transport.parse(value != null ? value : next(args, ++i, name));
                    break;
                case "--token":
                    token = value != null ? value : next(args, ++i, name);
                    if (token.isBlank() || !token.matches("[\\x21-\\x7e]+") || token.contains(",")) {
                        throw new UsageException("--token must be printable ASCII without spaces or commas (as tally web-token makes them)");
                    }
                    break;
                case "--interval":
                    interval = parseInterval(value != null ? value : next(args, ++i, name));
                    break;
                case "--settings":
                    settings = Path.of(value != null ? value : next(args, ++i, name));
                    break;
                case "--cumulative":
                    cumulative = flag(name, value);
                    break;
                case "--replace-logs":
                    replaceLogs = flag(name, value);
                    break;
                case "--dry-run":
                    dryRun = flag(name, value);
                    break;
                case "--shell":
                    shell = flag(name, value);
                    break;
                case "-h":
                case "--help":
                    help = true;
                    break;
                default:
                    throw new UsageException("unknown argument: " + arg);
            }
        }
        String base = baseUrl(endpoint != null ? endpoint : transport.defaultEndpoint);
        if (transport == Transport.GRPC && !URI.create(base).getRawPath().isEmpty()) {
            throw new UsageException("--protocol grpc takes an address without a path, e.g. " + DEFAULT_GRPC_ENDPOINT
                    + " (gRPC names the service in each request): " + endpoint);
        }
        return new SetupOptions(transport, transport.signalUrl(base, METRICS_PATH), transport.signalUrl(base, LOGS_PATH), interval,
                cumulative, replaceLogs, dryRun, shell, help, settings, token);
    }

    private static String next(String[] args, int i, String name) throws UsageException {
        if (i >= args.length) {
            throw new UsageException(name + " needs a value");
        }
        return args[i];
    }

    private static boolean flag(String name, String value) throws UsageException {
        if (value != null) {
            throw new UsageException(name + " takes no value");
        }
        return true;
    }

    /**
     * The endpoint without a signal path: a base URL such as {@code http://host:4318} or
     * {@code http://host:9090/api/v1/otlp} is kept, one naming a signal ({@code .../v1/metrics} or {@code .../v1/logs})
     * loses that path, so each signal gets its own.
     */
    static String baseUrl(String endpoint) throws UsageException {
        URI uri;
        try {
            uri = new URI(endpoint.trim());
        } catch (URISyntaxException e) {
            throw new UsageException("--endpoint is not a URL: " + endpoint);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new UsageException("--endpoint must be an http:// or https:// URL with a host, e.g. " + DEFAULT_ENDPOINT);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new UsageException("--endpoint must not have a query or fragment: " + endpoint);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        for (String signal : new String[] {METRICS_PATH, LOGS_PATH}) {
            if (path.endsWith(signal)) {
                path = path.substring(0, path.length() - signal.length());
            }
        }
        return scheme + "://" + uri.getRawAuthority() + path;
    }

    /** Accepts plain milliseconds ({@code 10000}) or a number with {@code ms}, {@code s} or {@code m}. */
    static long parseInterval(String text) throws UsageException {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        String digits = t;
        if (t.endsWith("ms")) {
            digits = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            unit = 1000;
            digits = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            unit = 60_000;
            digits = t.substring(0, t.length() - 1);
        }
        long value;
        try {
            value = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new UsageException("--interval must be milliseconds or a duration like 10s or 1m: " + text);
        }
        if (value <= 0 || value > Long.MAX_VALUE / unit / 2) {
            throw new UsageException("--interval must be positive: " + text);
        }
        return value * unit;
    }
}
