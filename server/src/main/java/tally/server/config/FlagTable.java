package tally.server.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import tally.server.log.Log;

/**
 * Every flag of {@code tally serve}, in --help order. The only place a flag's default is written: a new
 * {@link ServerConfig} gets its values by parsing these defaults, so --help, the configuration and
 * /api/v1/status/flags cannot disagree.
 */
final class FlagTable {
    private FlagTable() {}

    static final List<Flag<?>> ALL = List.of(
            text("storage.path", "./data", "Directory of the database.", FlagTable::nonEmpty,
                    (c, v) -> c.storagePath = v, c -> c.storagePath),
            duration("storage.retention", "90d", "How long samples are kept (alias --storage.tsdb.retention.time).",
                    FlagTable::positive, (c, v) -> c.retention = v, c -> c.retention),
            address("web.listen-address", "127.0.0.1:9090",
                    "Address of the Prometheus API, remote-write and OTLP (/api/v1/otlp/v1/metrics and /api/v1/otlp/v1/logs).",
                    false, (c, v) -> c.webListenAddress = v, c -> c.webListenAddress),
            address("otlp.listen-address", "127.0.0.1:4318", "Address of the OTLP/HTTP receiver (/v1/metrics, /v1/logs); empty disables it.",
                    true, (c, v) -> c.otlpListenAddress = v, c -> c.otlpListenAddress),
            address("otlp.grpc-listen-address", "127.0.0.1:4317", "Address of the OTLP/gRPC receiver (h2c, unary Export); empty disables it.",
                    true, (c, v) -> c.otlpGrpcListenAddress = v, c -> c.otlpGrpcListenAddress),
            // gRPC's own default is 4 MiB: a smaller limit would refuse what every client may send
            bytes("otlp.grpc.max-recv-msg-size", "16MiB", "Largest OTLP/gRPC request message, as sent and after decompression (at least 4MiB).",
                    4L << 20, Integer.MAX_VALUE - 8, (c, v) -> c.otlpGrpcMaxRecvMsgSize = v, c -> c.otlpGrpcMaxRecvMsgSize),
            text("config.file", "", "A prometheus.yml (rule_files, alerting, global, otlp; Tally flags as top-level 'flag-name: value' keys).",
                    FlagTable::emptyIsNull, (c, v) -> c.configFile = v, c -> c.configFile),
            text("web.external-url", "", "The URL Tally is reached at: generatorURL of alerts, $externalURL in templates (default http://<host>:<port>).",
                    FlagTable::externalUrl, (c, v) -> c.externalUrl = v, c -> c.externalUrl),
            text("web.config.file", "", "Prometheus's web configuration file: TLS, basic auth, headers, rate limit (plus Tally's write-only "
                    + "tally_ingest_tokens) for every listener; re-read when it changes.",
                    FlagTable::emptyIsNull, (c, v) -> c.webConfigFile = v, c -> c.webConfigFile),
            bool("web.enable-lifecycle", false, "Enable POST/PUT /-/reload (SIGHUP reloads regardless).",
                    (c, v) -> c.enableLifecycle = v, c -> c.enableLifecycle),
            bool("rules.claude-code", true, "Load Tally's Claude Code recording rules and cost alert when the configuration names no rule_files.",
                    (c, v) -> c.claudeCodeRules = v, c -> c.claudeCodeRules),
            duration("rules.alert.for-outage-tolerance", "1h", "Longest outage after which an alert's 'for' state is still restored.",
                    FlagTable::positive, (c, v) -> c.forOutageTolerance = v, c -> c.forOutageTolerance),
            duration("rules.alert.for-grace-period", "10m", "Least time left to fire for an alert whose 'for' state was restored.",
                    FlagTable::notNegative, (c, v) -> c.forGracePeriod = v, c -> c.forGracePeriod),
            duration("rules.alert.resend-delay", "1m", "Least time between two sends of a firing alert to Alertmanager.",
                    FlagTable::notNegative, (c, v) -> c.resendDelay = v, c -> c.resendDelay),
            number("alertmanager.notification-queue-capacity", "10000", "Alerts queued per Alertmanager; beyond, the oldest are dropped.",
                    1, 10_000_000, (c, v) -> c.notificationQueueCapacity = v.intValue(), c -> (long) c.notificationQueueCapacity),
            new Flag<>("log.level", "info", "Log level: debug, info, warn, error.", false,
                    v -> Log.Level.valueOf(v.toUpperCase(Locale.ROOT)), (c, v) -> c.logLevel = v, c -> c.logLevel,
                    l -> l.name().toLowerCase(Locale.ROOT)),
            bytes("web.max-request-bytes", "32MiB", "Largest request body, after decompression (larger => 413).",
                    1024, Integer.MAX_VALUE - 1, (c, v) -> c.maxRequestBytes = v, c -> c.maxRequestBytes),
            number("web.worker-threads", String.valueOf(Math.max(2, Runtime.getRuntime().availableProcessors())),
                    "Threads that run request handlers.", 1, 1024, (c, v) -> c.workerThreads = v.intValue(), c -> (long) c.workerThreads),
            number("ingest.max-inflight-requests", "64", "Ingest requests handled at once; more get 429/503 with Retry-After.",
                    1, 100_000, (c, v) -> c.maxIngestInFlight = v.intValue(), c -> (long) c.maxIngestInFlight),
            duration("web.shutdown-timeout", "30s", "How long shutdown waits for in-flight requests.",
                    d -> d, (c, v) -> c.shutdownTimeout = v, c -> c.shutdownTimeout),
            list("otlp.promote-resource-attributes", "Comma-separated resource attributes copied onto every series.",
                    (c, v) -> c.promoteResourceAttributes = v, c -> c.promoteResourceAttributes),
            bool("otlp.promote-all-resource-attributes", false, "Copy all resource attributes (except ignored ones) onto every series.",
                    (c, v) -> c.promoteAllResourceAttributes = v, c -> c.promoteAllResourceAttributes),
            list("otlp.ignore-resource-attributes", "Comma-separated resource attributes never promoted (with promote-all).",
                    (c, v) -> c.ignoreResourceAttributes = v, c -> c.ignoreResourceAttributes),
            bool("otlp.keep-identifying-resource-attributes", false, "Also keep service.name/namespace/instance.id on target_info.",
                    (c, v) -> c.keepIdentifyingResourceAttributes = v, c -> c.keepIdentifyingResourceAttributes),
            bool("otlp.promote-scope-metadata", false, "Add otel_scope_name/version/schema_url and scope attributes as labels.",
                    (c, v) -> c.promoteScopeMetadata = v, c -> c.promoteScopeMetadata),
            duration("otlp.delta.max-idle", "1h", "Delta streams idle this long are dropped from memory.",
                    FlagTable::positive, (c, v) -> c.deltaMaxIdle = v, c -> c.deltaMaxIdle),
            number("otlp.delta.max-streams", "1000000", "Most delta streams tracked at once; points of new streams beyond are refused.",
                    1, Integer.MAX_VALUE, (c, v) -> c.deltaMaxStreams = v.intValue(), c -> (long) c.deltaMaxStreams),
            duration("otlp.delta.recovery-lookback", "1d", "How far back a delta stream not in memory looks for its last total in storage.",
                    d -> d, (c, v) -> c.deltaRecoveryLookback = v, c -> c.deltaRecoveryLookback),
            duration("otlp.events.dedup-window", "24h",
                    "How long Claude Code events already counted are remembered (per session, after its last record), so a resent export is not counted twice.",
                    FlagTable::positive, (c, v) -> c.eventsDedupWindow = v, c -> c.eventsDedupWindow),
            duration("query.lookback-delta", "5m", "How far back an instant selector looks for the latest sample.",
                    FlagTable::positive, (c, v) -> c.lookbackDelta = v, c -> c.lookbackDelta),
            number("query.max-concurrency", "20", "Most PromQL queries (query, query_range) running at once; more get 503 with Retry-After.",
                    1, 10_000, (c, v) -> c.queryMaxConcurrency = v.intValue(), c -> (long) c.queryMaxConcurrency),
            duration("query.timeout", "2m", "Longest a query may run.",
                    FlagTable::positive, (c, v) -> c.queryTimeout = v, c -> c.queryTimeout),
            // Prometheus's 50 M, unless the heap holds less: a sample of an intermediate result takes 16 bytes here (plus
            // its series), so 50 M would take 800 MiB of the default 1 GiB heap (heap / 40: 26.8 M at 1 GiB)
            number("query.max-samples", String.valueOf(Math.min(50_000_000L, Runtime.getRuntime().maxMemory() / 40)),
                    "Most samples one query may hold in memory (50 M, or heap / 40 bytes when less).",
                    1, Long.MAX_VALUE, (c, v) -> c.queryMaxSamples = v, c -> c.queryMaxSamples),
            // 64 MiB at the default 1 GiB heap, less with less heap
            bytes("query.result-cache-size", (Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 16) >> 20) + "MiB",
                    "Heap for range query results over settled data, so a refreshed dashboard recomputes only its newest steps "
                            + "(64MiB, or heap / 16 when less; late samples drop what they change; 0 = no cache).",
                    0, Long.MAX_VALUE, (c, v) -> c.queryResultCacheBytes = v, c -> c.queryResultCacheBytes),
            bytes("storage.retention.size", "0", "Largest size of stored chunks before the oldest days are deleted (0 = no limit), e.g. 50GiB.",
                    0, Long.MAX_VALUE, (c, v) -> c.retentionBytes = v, c -> c.retentionBytes),
            text("storage.wal.fsync", "interval", "WAL fsync policy: always (no loss on power failure), interval (up to 1 s), never.",
                    v -> oneOf(v, "always", "interval", "never"), (c, v) -> c.walFsync = v, c -> c.walFsync),
            duration("storage.out-of-order-window", "0s", "Accept samples older than a series' newest back to the newest sample minus this (0s = refuse them).",
                    FlagTable::notNegative, (c, v) -> c.outOfOrderWindow = v, c -> c.outOfOrderWindow),
            number("storage.max-head-series", "0", "Most series in the head: past it, samples of new series are refused (OTLP partial success, "
                    + "remote-write 400) while existing series keep flowing; 0 = only the heap's own budget (then 503, retry).",
                    0, Integer.MAX_VALUE, (c, v) -> c.maxHeadSeries = v, c -> c.maxHeadSeries),
            bytes("remote-write.max-kept-wal", "1GiB", "Most WAL bytes kept, past checkpoints, for remote_write targets that lag behind "
                    + "(a target that is down); past it the oldest kept segments are deleted and counted.",
                    0, Long.MAX_VALUE, (c, v) -> c.remoteWriteMaxKeptWal = v, c -> c.remoteWriteMaxKeptWal),
            duration("storage.flush-interval", "2m", "How often sealed chunks move to the store and the WAL is checkpointed (sooner once it passes 256 MiB).",
                    FlagTable::positive, (c, v) -> c.flushInterval = v, c -> c.flushInterval),
            number("ingest.max-series-per-request", "100000",
                    "Most series in one remote-write or OTLP metrics request (0 = unlimited); more => 413, send smaller batches.",
                    0, Long.MAX_VALUE / 2, (c, v) -> c.maxSeriesPerRequest = v, c -> c.maxSeriesPerRequest),
            number("ingest.max-samples-per-request", "200000",
                    "Most samples in one remote-write or OTLP metrics request (0 = unlimited); more => 413, send smaller batches.",
                    0, Long.MAX_VALUE / 2, (c, v) -> c.maxSamplesPerRequest = v, c -> c.maxSamplesPerRequest),
            number("ingest.max-labels-per-series", "128", "Most labels on one series (0 = unlimited).",
                    0, 100_000, (c, v) -> c.maxLabelsPerSeries = v.intValue(), c -> (long) c.maxLabelsPerSeries),
            number("ingest.max-label-name-length", "1024", "Longest label name in characters (0 = unlimited).",
                    0, Integer.MAX_VALUE, (c, v) -> c.maxLabelNameLength = v.intValue(), c -> (long) c.maxLabelNameLength),
            number("ingest.max-label-value-length", "16384", "Longest label value in characters (0 = unlimited).",
                    0, Integer.MAX_VALUE, (c, v) -> c.maxLabelValueLength = v.intValue(), c -> (long) c.maxLabelValueLength));

    /** Sets every flag of {@code c} to its default. */
    static void applyDefaults(ServerConfig c) {
        for (Flag<?> f : ALL) f.apply(c, f.defaultValue());
    }

    // --- kinds of flags: each fixes how values are parsed and printed

    private static Flag<String> text(String name, String def, String help, UnaryOperator<String> parse,
                                     BiConsumer<ServerConfig, String> set, Function<ServerConfig, String> get) {
        return new Flag<>(name, def, help, false, parse, set, get, v -> v == null ? "" : v);
    }

    private static Flag<Duration> duration(String name, String def, String help, UnaryOperator<Duration> check,
                                           BiConsumer<ServerConfig, Duration> set, Function<ServerConfig, Duration> get) {
        return new Flag<>(name, def, help, false, v -> check.apply(Units.parseDuration(v)), set, get, Units::formatDuration);
    }

    /** A size in bytes (32MiB, 1048576), printed as the number of bytes. */
    private static Flag<Long> bytes(String name, String def, String help, long min, long max,
                                    BiConsumer<ServerConfig, Long> set, Function<ServerConfig, Long> get) {
        return new Flag<>(name, def, help, false, v -> range(Units.parseBytes(v), min, max), set, get, String::valueOf);
    }

    private static Flag<Long> number(String name, String def, String help, long min, long max,
                                     BiConsumer<ServerConfig, Long> set, Function<ServerConfig, Long> get) {
        return new Flag<>(name, def, help, false, v -> range(Long.parseLong(v), min, max), set, get, String::valueOf);
    }

    /** host:port; with {@code emptyDisables} an empty value is null (the listener is off) and prints as "". */
    private static Flag<InetSocketAddress> address(String name, String def, String help, boolean emptyDisables,
                                                   BiConsumer<ServerConfig, InetSocketAddress> set,
                                                   Function<ServerConfig, InetSocketAddress> get) {
        return new Flag<>(name, def, help, false, v -> emptyDisables && v.isEmpty() ? null : Units.parseAddress(v), set, get,
                a -> a == null ? "" : a.getHostString() + ":" + a.getPort());
    }

    private static Flag<Boolean> bool(String name, boolean def, String help,
                                      BiConsumer<ServerConfig, Boolean> set, Function<ServerConfig, Boolean> get) {
        return new Flag<>(name, Boolean.toString(def), help, true, FlagTable::bool, set, get, String::valueOf);
    }

    /** Comma-separated, blanks dropped; default empty. */
    private static Flag<List<String>> list(String name, String help,
                                           BiConsumer<ServerConfig, List<String>> set, Function<ServerConfig, List<String>> get) {
        return new Flag<>(name, "", help, false, FlagTable::list, set, get, l -> String.join(",", l));
    }

    // --- value checks (their messages follow "invalid value for --flag: ")

    private static String nonEmpty(String v) {
        if (v.isEmpty()) throw new IllegalArgumentException("must not be empty");
        return v;
    }

    private static String emptyIsNull(String v) {
        return v.isEmpty() ? null : v;
    }

    private static String oneOf(String v, String... allowed) {
        for (String a : allowed) if (a.equals(v)) return v;
        throw new IllegalArgumentException("must be one of " + String.join(", ", allowed));
    }

    private static String externalUrl(String v) {
        if (v.isEmpty()) return null;
        java.net.URI u = java.net.URI.create(v);
        if (u.getScheme() == null || u.getHost() == null) throw new IllegalArgumentException("not an absolute URL: \"" + v + "\"");
        return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
    }

    private static Duration positive(Duration d) {
        if (d.isZero() || d.isNegative()) throw new IllegalArgumentException("must be greater than 0");
        return d;
    }

    private static Duration notNegative(Duration d) {
        if (d.isNegative()) throw new IllegalArgumentException("must not be negative");
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
