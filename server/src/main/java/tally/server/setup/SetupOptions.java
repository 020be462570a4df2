package tally.server.setup;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;

/** The parsed command line of {@code tally setup-claude}. */
record SetupOptions(String metricsEndpoint, Long intervalMillis, boolean cumulative, boolean dryRun,
                    boolean shell, boolean help, Path settingsFile) {

    static final String DEFAULT_ENDPOINT = "http://127.0.0.1:4318";
    private static final String METRICS_PATH = "/v1/metrics";

    /** Thrown for a command line that cannot be used; the message is shown to the user as is. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    static SetupOptions parse(String[] args, Path home) throws UsageException {
        String endpoint = DEFAULT_ENDPOINT;
        Long interval = null;
        boolean cumulative = false, dryRun = false, shell = false, help = false;
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
                case "--interval":
                    interval = parseInterval(value != null ? value : next(args, ++i, name));
                    break;
                case "--settings":
                    settings = Path.of(value != null ? value : next(args, ++i, name));
                    break;
                case "--cumulative":
                    cumulative = flag(name, value);
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
        return new SetupOptions(metricsUrl(endpoint), interval, cumulative, dryRun, shell, help, settings);
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
     * The full metrics URL. The per-signal variable is used as is by the OTel SDK (nothing appended),
     * so a base URL such as {@code http://host:4318} or {@code http://host:9090/api/v1/otlp} gets
     * {@code /v1/metrics} here.
     */
    static String metricsUrl(String endpoint) throws UsageException {
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
        if (!path.endsWith(METRICS_PATH)) {
            path = path + METRICS_PATH;
        }
        String authority = uri.getRawAuthority();
        return scheme + "://" + authority + path;
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
