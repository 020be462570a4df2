package tally.server.config;

import tally.server.log.Log;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The command-line flags (Prometheus style: {@code --name=value} or {@code --name value}) and the
 * config file, which holds the same settings as {@code name: value} (or {@code name = value}) lines,
 * names without the leading dashes, {@code #} comments. Command-line flags win over the file.
 */
public final class Flags {
    @FunctionalInterface
    private interface Setter {
        void set(ServerConfig c, String v);
    }

    private record Flag(String name, String defaultValue, String help, boolean bool, Setter setter) {}

    private static final Map<String, Flag> FLAGS = new LinkedHashMap<>();
    private static final Map<String, String> ALIASES = Map.of("storage.tsdb.retention.time", "storage.retention",
            "storage.tsdb.path", "storage.path");

    static {
        add("storage.path", "./data", "Directory of the database.", (c, v) -> c.storagePath = nonEmpty(v));
        add("storage.retention", "90d", "How long samples are kept (alias --storage.tsdb.retention.time).",
                (c, v) -> c.retention = positive(Units.parseDuration(v)));
        add("web.listen-address", "127.0.0.1:9090", "Address of the Prometheus API, remote-write and OTLP (/api/v1/otlp/v1/metrics and /api/v1/otlp/v1/logs).",
                (c, v) -> c.webListenAddress = Units.parseAddress(v));
        add("otlp.listen-address", "127.0.0.1:4318", "Address of the OTLP/HTTP receiver (/v1/metrics, /v1/logs); empty disables it.",
                (c, v) -> c.otlpListenAddress = v.isEmpty() ? null : Units.parseAddress(v));
        add("otlp.grpc-listen-address", "127.0.0.1:4317", "Address of the OTLP/gRPC receiver (h2c, unary Export); empty disables it.",
                (c, v) -> c.otlpGrpcListenAddress = v.isEmpty() ? null : Units.parseAddress(v));
        add("otlp.grpc.max-recv-msg-size", "16MiB", "Largest OTLP/gRPC request message, as sent and after decompression (at least 4MiB).",
                (c, v) -> c.otlpGrpcMaxRecvMsgSize = range(Units.parseBytes(v), 4L << 20, Integer.MAX_VALUE - 8));
        add("config.file", "", "A prometheus.yml (rule_files, alerting, global, otlp; Tally flags as top-level 'flag-name: value' keys).",
                (c, v) -> c.configFile = v);
        add("web.external-url", "", "The URL Tally is reached at: generatorURL of alerts, $externalURL in templates (default http://<host>:<port>).",
                (c, v) -> c.externalUrl = externalUrl(v));
        add("web.config.file", "", "Prometheus's web configuration file: TLS, basic auth, headers, rate limit (plus Tally's write-only "
                + "tally_ingest_tokens) for every listener; re-read when it changes.", (c, v) -> c.webConfigFile = v.isEmpty() ? null : v);
        addBool("web.enable-lifecycle", "Enable POST/PUT /-/reload (SIGHUP reloads regardless).", (c, v) -> c.enableLifecycle = bool(v));
        addBool("rules.claude-code", true, "Load Tally's Claude Code recording rules and cost alert when the configuration names no rule_files.",
                (c, v) -> c.claudeCodeRules = bool(v));
        add("rules.alert.for-outage-tolerance", "1h", "Longest outage after which an alert's 'for' state is still restored.",
                (c, v) -> c.forOutageTolerance = positive(Units.parseDuration(v)));
        add("rules.alert.for-grace-period", "10m", "Least time left to fire for an alert whose 'for' state was restored.",
                (c, v) -> c.forGracePeriod = notNegative(Units.parseDuration(v)));
        add("rules.alert.resend-delay", "1m", "Least time between two sends of a firing alert to Alertmanager.",
                (c, v) -> c.resendDelay = notNegative(Units.parseDuration(v)));
        add("alertmanager.notification-queue-capacity", "10000", "Alerts queued per Alertmanager; beyond, the oldest are dropped.",
                (c, v) -> c.notificationQueueCapacity = (int) range(Long.parseLong(v), 1, 10_000_000));
        add("log.level", "info", "Log level: debug, info, warn, error.",
                (c, v) -> c.logLevel = Log.Level.valueOf(v.toUpperCase(Locale.ROOT)));
        add("web.max-request-bytes", "32MiB", "Largest request body, after decompression (larger => 413).",
                (c, v) -> c.maxRequestBytes = range(Units.parseBytes(v), 1024, Integer.MAX_VALUE - 1));
        add("web.worker-threads", String.valueOf(new ServerConfig().workerThreads), "Threads that run request handlers.",
                (c, v) -> c.workerThreads = (int) range(Long.parseLong(v), 1, 1024));
        add("ingest.max-inflight-requests", "64", "Ingest requests handled at once; more get 429/503 with Retry-After.",
                (c, v) -> c.maxIngestInFlight = (int) range(Long.parseLong(v), 1, 100_000));
        add("web.shutdown-timeout", "30s", "How long shutdown waits for in-flight requests.",
                (c, v) -> c.shutdownTimeout = Units.parseDuration(v));
        add("otlp.promote-resource-attributes", "", "Comma-separated resource attributes copied onto every series.",
                (c, v) -> c.promoteResourceAttributes = list(v));
        addBool("otlp.promote-all-resource-attributes", "Copy all resource attributes (except ignored ones) onto every series.",
                (c, v) -> c.promoteAllResourceAttributes = bool(v));
        add("otlp.ignore-resource-attributes", "", "Comma-separated resource attributes never promoted (with promote-all).",
                (c, v) -> c.ignoreResourceAttributes = list(v));
        addBool("otlp.keep-identifying-resource-attributes", "Also keep service.name/namespace/instance.id on target_info.",
                (c, v) -> c.keepIdentifyingResourceAttributes = bool(v));
        addBool("otlp.promote-scope-metadata", "Add otel_scope_name/version/schema_url and scope attributes as labels.",
                (c, v) -> c.promoteScopeMetadata = bool(v));
        add("otlp.delta.max-idle", "1h", "Delta streams idle this long are dropped from memory.",
                (c, v) -> c.deltaMaxIdle = positive(Units.parseDuration(v)));
        add("otlp.delta.max-streams", "1000000", "Most delta streams tracked at once; points of new streams beyond are refused.",
                (c, v) -> c.deltaMaxStreams = (int) range(Long.parseLong(v), 1, Integer.MAX_VALUE));
        add("otlp.delta.recovery-lookback", "1d", "How far back a delta stream not in memory looks for its last total in storage.",
                (c, v) -> c.deltaRecoveryLookback = Units.parseDuration(v));
        add("otlp.events.dedup-window", "24h",
                "How long Claude Code events already counted are remembered (per session, after its last record), so a resent export is not counted twice.",
                (c, v) -> c.eventsDedupWindow = positive(Units.parseDuration(v)));
        add("query.lookback-delta", "5m", "How far back an instant selector looks for the latest sample.",
                (c, v) -> c.lookbackDelta = positive(Units.parseDuration(v)));
        add("query.max-concurrency", String.valueOf(new ServerConfig().queryMaxConcurrency), "Most PromQL queries (query, query_range) running at once; more get 503 with Retry-After.",
                (c, v) -> c.queryMaxConcurrency = (int) range(Long.parseLong(v), 1, 10_000));
        add("query.timeout", "2m", "Longest a query may run.", (c, v) -> c.queryTimeout = positive(Units.parseDuration(v)));
        add("query.max-samples", String.valueOf(new ServerConfig().queryMaxSamples),
                "Most samples one query may hold in memory (50 M, or heap / 40 bytes when less).",
                (c, v) -> c.queryMaxSamples = range(Long.parseLong(v), 1, Long.MAX_VALUE));
        add("storage.retention.size", "0", "Largest size of stored chunks before the oldest days are deleted (0 = no limit), e.g. 50GiB.",
                (c, v) -> c.retentionBytes = Units.parseBytes(v));
        add("storage.wal.fsync", "interval", "WAL fsync policy: always (no loss on power failure), interval (up to 1 s), never.",
                (c, v) -> c.walFsync = oneOf(v, "always", "interval", "never"));
        add("storage.out-of-order-window", "0s", "Accept samples older than a series' newest back to the newest sample minus this (0s = refuse them).",
                (c, v) -> c.outOfOrderWindow = notNegative(Units.parseDuration(v)));
        add("storage.max-head-series", "0", "Most series in the head: past it, samples of new series are refused (OTLP partial success, "
                + "remote-write 400) while existing series keep flowing; 0 = only the heap's own budget (then 503, retry).",
                (c, v) -> c.maxHeadSeries = range(Long.parseLong(v), 0, Integer.MAX_VALUE));
        add("remote-write.max-kept-wal", "1GiB", "Most WAL bytes kept, past checkpoints, for remote_write targets that lag behind "
                + "(a target that is down); past it the oldest kept segments are deleted and counted.",
                (c, v) -> c.remoteWriteMaxKeptWal = Units.parseBytes(v));
        add("storage.flush-interval", "2m", "How often sealed chunks move to the store and the WAL is checkpointed (sooner once it passes 256 MiB).",
                (c, v) -> c.flushInterval = positive(Units.parseDuration(v)));
        add("ingest.max-series-per-request", String.valueOf(new ServerConfig().maxSeriesPerRequest),
                "Most series in one remote-write or OTLP metrics request (0 = unlimited); more => 413, send smaller batches.",
                (c, v) -> c.maxSeriesPerRequest = range(Long.parseLong(v), 0, Long.MAX_VALUE / 2));
        add("ingest.max-samples-per-request", String.valueOf(new ServerConfig().maxSamplesPerRequest),
                "Most samples in one remote-write or OTLP metrics request (0 = unlimited); more => 413, send smaller batches.",
                (c, v) -> c.maxSamplesPerRequest = range(Long.parseLong(v), 0, Long.MAX_VALUE / 2));
        add("ingest.max-labels-per-series", "128", "Most labels on one series (0 = unlimited).",
                (c, v) -> c.maxLabelsPerSeries = (int) range(Long.parseLong(v), 0, 100_000));
        add("ingest.max-label-name-length", "1024", "Longest label name in characters (0 = unlimited).",
                (c, v) -> c.maxLabelNameLength = (int) range(Long.parseLong(v), 0, Integer.MAX_VALUE));
        add("ingest.max-label-value-length", "16384", "Longest label value in characters (0 = unlimited).",
                (c, v) -> c.maxLabelValueLength = (int) range(Long.parseLong(v), 0, Integer.MAX_VALUE));
    }

    private Flags() {}

    private static String oneOf(String v, String... allowed) {
        for (String a : allowed) if (a.equals(v)) return v;
        throw new IllegalArgumentException("must be one of " + String.join(", ", allowed));
    }

    private static java.time.Duration notNegative(java.time.Duration d) {
        if (d.isNegative()) throw new IllegalArgumentException("must not be negative");
        return d;
    }

    /** Every flag with its value in this configuration, for /api/v1/status/flags. */
    public static Map<String, String> describe(ServerConfig c) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("storage.path", c.storagePath);
        out.put("storage.retention", Units.formatDuration(c.retention));
        out.put("storage.retention.size", Long.toString(c.retentionBytes));
        out.put("storage.wal.fsync", c.walFsync);
        out.put("storage.flush-interval", Units.formatDuration(c.flushInterval));
        out.put("storage.max-head-series", Long.toString(c.maxHeadSeries));
        out.put("remote-write.max-kept-wal", Long.toString(c.remoteWriteMaxKeptWal));
        out.put("ingest.max-series-per-request", Long.toString(c.maxSeriesPerRequest));
        out.put("ingest.max-samples-per-request", Long.toString(c.maxSamplesPerRequest));
        out.put("web.listen-address", c.webListenAddress.getHostString() + ":" + c.webListenAddress.getPort());
        out.put("otlp.listen-address", address(c.otlpListenAddress));
        out.put("otlp.grpc-listen-address", address(c.otlpGrpcListenAddress));
        out.put("otlp.grpc.max-recv-msg-size", Long.toString(c.otlpGrpcMaxRecvMsgSize));
        out.put("query.lookback-delta", Units.formatDuration(c.lookbackDelta));
        out.put("query.timeout", Units.formatDuration(c.queryTimeout));
        out.put("query.max-samples", Long.toString(c.queryMaxSamples));
        out.put("query.max-concurrency", Integer.toString(c.queryMaxConcurrency));
        out.put("config.file", c.configFile == null ? "" : c.configFile);
        out.put("web.external-url", c.externalUrl == null ? "" : c.externalUrl);
        out.put("web.config.file", c.webConfigFile == null ? "" : c.webConfigFile);
        out.put("web.enable-lifecycle", Boolean.toString(c.enableLifecycle));
        out.put("rules.claude-code", Boolean.toString(c.claudeCodeRules));
        out.put("rules.alert.for-outage-tolerance", Units.formatDuration(c.forOutageTolerance));
        out.put("rules.alert.for-grace-period", Units.formatDuration(c.forGracePeriod));
        out.put("rules.alert.resend-delay", Units.formatDuration(c.resendDelay));
        out.put("alertmanager.notification-queue-capacity", Integer.toString(c.notificationQueueCapacity));
        return out;
    }

    private static String address(java.net.InetSocketAddress a) {
        return a == null ? "" : a.getHostString() + ":" + a.getPort();
    }

    private static void add(String name, String def, String help, Setter s) {
        FLAGS.put(name, new Flag(name, def, help, false, s));
    }

    private static void addBool(String name, String help, Setter s) {
        addBool(name, false, help, s);
    }

    private static void addBool(String name, boolean def, String help, Setter s) {
        FLAGS.put(name, new Flag(name, Boolean.toString(def), help, true, s));
    }

    /** Parses the flags (after the subcommand), reading {@code --config.file} first when given. */
    public static ServerConfig parse(List<String> args) throws ConfigException {
        Map<String, String> cli = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                positional.add(a);
                continue;
            }
            String body = a.substring(2);
            int eq = body.indexOf('=');
            String name = canonical(eq < 0 ? body : body.substring(0, eq));
            Flag f = FLAGS.get(name);
            if (f == null && eq < 0 && name.startsWith("no-") && FLAGS.containsKey(name.substring(3)) && FLAGS.get(name.substring(3)).bool) {
                cli.put(name.substring(3), "false"); // kingpin's --no-<flag>
                continue;
            }
            if (f == null) throw new ConfigException("unknown flag --" + name + " (see --help)");
            String value;
            if (eq >= 0) value = body.substring(eq + 1);
            else if (f.bool) value = "true";
            else if (i + 1 < args.size()) value = args.get(++i);
            else throw new ConfigException("flag --" + name + " needs a value");
            cli.put(name, value);
        }
        if (!positional.isEmpty()) throw new ConfigException("unexpected argument \"" + positional.get(0) + "\" (see --help)");
        ServerConfig c = new ServerConfig();
        String file = cli.get("config.file");
        if (file != null && !file.isEmpty()) {
            ConfigFile.Contents contents = ConfigFile.read(Path.of(file));
            for (Map.Entry<String, String> e : contents.settings().entrySet()) apply(c, e.getKey(), e.getValue(), file);
            c.rules = contents.rules();
            c.ignoredConfig = contents.ignored();
            c.remoteWrite = contents.remoteWrite();
            c.fileSettings = contents.settings();
        }
        for (Map.Entry<String, String> e : cli.entrySet()) apply(c, e.getKey(), e.getValue(), null);
        return c;
    }

    /** Whether a name (without dashes, aliases resolved) is one of Tally's flags. */
    static boolean known(String name) {
        return FLAGS.containsKey(canonical(name));
    }

    static String canonical(String name) {
        return ALIASES.getOrDefault(name, name);
    }

    private static void apply(ServerConfig c, String name, String value, String file) throws ConfigException {
        Flag f = FLAGS.get(name);
        String where = file == null ? "--" + name : name + " in " + file;
        if (f == null) throw new ConfigException("unknown setting " + where);
        try {
            f.setter.set(c, value.trim());
        } catch (RuntimeException e) {
            String why = e instanceof NumberFormatException ? "not a number: \"" + value + "\"" : e.getMessage();
            throw new ConfigException("invalid value for " + where + ": " + why);
        }
    }

    public static String help() {
        StringBuilder sb = new StringBuilder();
        sb.append("usage: tally [serve] [flags]\n");
        sb.append("       tally promqltest PATH...\n");
        sb.append("       tally test rules TEST_FILE...      (promtool test rules)\n");
        sb.append("       tally check rules RULE_FILE...     (promtool check rules)\n");
        sb.append("       tally check config CONFIG_FILE...  (promtool check config)\n");
        sb.append("       tally setup-claude [--help]\n\n");
        sb.append("Flags (also settable in --config.file as 'name: value'):\n");
        for (Flag f : FLAGS.values()) {
            String head = f.bool ? "  --" + (f.defaultValue.equals("true") ? "[no-]" : "") + f.name
                    : "  --" + f.name + "=" + (f.defaultValue.isEmpty() ? "\"\"" : f.defaultValue);
            sb.append(head);
            sb.append(" ".repeat(Math.max(1, 52 - head.length())));
            sb.append(f.help).append('\n');
        }
        sb.append("  --help                                            Show this help.\n");
        sb.append("  --version                                         Show the version.\n");
        return sb.toString();
    }

    private static String externalUrl(String v) {
        if (v.isEmpty()) return null;
        java.net.URI u = java.net.URI.create(v);
        if (u.getScheme() == null || u.getHost() == null) throw new IllegalArgumentException("not an absolute URL: \"" + v + "\"");
        return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
    }

    private static String nonEmpty(String v) {
        if (v.isEmpty()) throw new IllegalArgumentException("must not be empty");
        return v;
    }

    private static java.time.Duration positive(java.time.Duration d) {
        if (d.isZero() || d.isNegative()) throw new IllegalArgumentException("must be greater than 0");
        return d;
    }

    private static long range(long v, long min, long max) {
        if (v < min || v > max) throw new IllegalArgumentException(v + " is outside [" + min + ", " + max + "]");
        return v;
    }

    private static boolean bool(String v) {
        if (v.equalsIgnoreCase("true") || v.isEmpty()) return true;
        if (v.equalsIgnoreCase("false")) return false;
        throw new IllegalArgumentException("not true or false: \"" + v + "\"");
    }

    private static List<String> list(String v) {
        if (v.isBlank()) return List.of();
        return Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
