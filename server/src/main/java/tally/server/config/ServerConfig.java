package tally.server.config;

import tally.server.log.Log;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/** Every setting of the server, with its default; filled by {@link Flags} from the config file and the command line. */
public final class ServerConfig {
    public String storagePath = "./data";
    public Duration retention = Duration.ofDays(90);
    public InetSocketAddress webListenAddress = new InetSocketAddress("127.0.0.1", 9090);
    /** null when the OTLP listener is disabled (flag set to an empty string). */
    public InetSocketAddress otlpListenAddress = new InetSocketAddress("127.0.0.1", 4318);
    /** null when the OTLP/gRPC listener is disabled (flag set to an empty string). */
    public InetSocketAddress otlpGrpcListenAddress = new InetSocketAddress("127.0.0.1", 4317);
    /** Largest OTLP/gRPC request message, as sent and after decompression (grpc's own default is 4 MiB). */
    public long otlpGrpcMaxRecvMsgSize = 16L << 20;
    public String configFile;
    public long retentionBytes;
    public String walFsync = "interval";
    public Duration outOfOrderWindow = Duration.ZERO;
    /** --storage.max-head-series: new series refused past it (0: only the heap's budget, which answers 503). */
    public long maxHeadSeries;
    /** --ingest.max-series-per-request and --ingest.max-samples-per-request (0 = unlimited): 413 past them. */
    public long maxSeriesPerRequest = 100_000;
    public long maxSamplesPerRequest = 200_000;
    /** --remote-write.max-kept-wal: WAL bytes kept past checkpoints for lagging remote_write targets. */
    public long remoteWriteMaxKeptWal = 1L << 30;
    /** How often sealed chunks move to the store and the WAL is checkpointed (sooner once the WAL passes 256 MiB). */
    public Duration flushInterval = Duration.ofMinutes(2);
    public Duration lookbackDelta = Duration.ofMinutes(5);
    public Duration queryTimeout = Duration.ofMinutes(2);
    /**
     * Prometheus's default, 50 M, or what the heap holds when that is less: a sample of an intermediate result takes
     * 16 bytes here (plus its series), so 50 M would take 800 MiB of the default 1 GiB heap (heap / 40: 26.8 M at 1 GiB).
     */
    public int queryMaxConcurrency = 20;
    public long queryMaxSamples = Math.min(50_000_000L, Runtime.getRuntime().maxMemory() / 40);
    public Log.Level logLevel = Log.Level.INFO;

    /** Largest request body after decompression (and on the wire). */
    public long maxRequestBytes = 32L << 20;
    public int workerThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
    /** Ingest requests (OTLP + remote-write) processed at once; more get 429/503 with Retry-After. */
    public int maxIngestInFlight = 64;
    public Duration shutdownTimeout = Duration.ofSeconds(30);

    // OTLP translation (Prometheus's otlp: config block)
    public List<String> promoteResourceAttributes = List.of();
    public boolean promoteAllResourceAttributes;
    public List<String> ignoreResourceAttributes = List.of();
    public boolean keepIdentifyingResourceAttributes;
    public boolean promoteScopeMetadata;

    // OTLP delta -> cumulative
    public Duration deltaMaxIdle = Duration.ofHours(1);
    public int deltaMaxStreams = 1_000_000;
    public Duration deltaRecoveryLookback = Duration.ofDays(1);

    // Claude Code events (OTLP logs) -> metrics
    /** How long the (session.id, event.sequence) pairs already counted are remembered after a session's last record. */
    public Duration eventsDedupWindow = Duration.ofHours(24);

    // rules and alerting (prometheus.yml's global, rule_files and alerting sections, and Prometheus's flags)
    public RuleSettings rules = RuleSettings.defaults();
    /** prometheus.yml's remote_write targets, resolved (none without a configuration file or the section). */
    public List<tally.forward.RemoteWriteConfig> remoteWrite = List.of();
    /** Prometheus sections of the configuration file Tally does not implement (warned about once). */
    public List<String> ignoredConfig = List.of();
    /** The Tally settings the configuration file gave (a reload warns when they changed: they need a restart). */
    public java.util.Map<String, String> fileSettings = java.util.Map.of();
    /** null: http://<hostname>:<web port>, as Prometheus computes it. */
    public String externalUrl;
    public boolean enableLifecycle;
    /** --web.config.file, or null: TLS and credentials for every listener. */
    public String webConfigFile;
    public boolean claudeCodeRules = true;
    public Duration forOutageTolerance = Duration.ofHours(1);
    public Duration forGracePeriod = Duration.ofMinutes(10);
    public Duration resendDelay = Duration.ofMinutes(1);
    public int notificationQueueCapacity = 10_000;

    // label limits applied to every ingested series (0 = unlimited)
    public int maxLabelsPerSeries = 128;
    public int maxLabelNameLength = 1024;
    public int maxLabelValueLength = 16 * 1024;
}
