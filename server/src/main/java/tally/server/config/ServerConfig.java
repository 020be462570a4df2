package tally.server.config;

import tally.server.log.Log;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * Every setting of the server; filled by {@link Flags} from the config file and the command line. The flags' defaults
 * are not written here: the constructor parses them from {@link FlagTable}, their one definition.
 */
public final class ServerConfig {
    public String storagePath;
    public Duration retention;
    public InetSocketAddress webListenAddress;
    /** null when the OTLP listener is disabled (flag set to an empty string). */
    public InetSocketAddress otlpListenAddress;
    /** null when the OTLP/gRPC listener is disabled (flag set to an empty string). */
    public InetSocketAddress otlpGrpcListenAddress;
    /** Largest OTLP/gRPC request message, as sent and after decompression. */
    public long otlpGrpcMaxRecvMsgSize;
    /** null when none. */
    public String configFile;
    public long retentionBytes;
    public String walFsync;
    public Duration outOfOrderWindow;
    /** --storage.max-head-series: new series refused past it (0: only the heap's budget, which answers 503). */
    public long maxHeadSeries;
    /** --ingest.max-series-per-request and --ingest.max-samples-per-request (0 = unlimited): 413 past them. */
    public long maxSeriesPerRequest;
    public long maxSamplesPerRequest;
    /** --remote-write.max-kept-wal: WAL bytes kept past checkpoints for lagging remote_write targets. */
    public long remoteWriteMaxKeptWal;
    /** How often sealed chunks move to the store and the WAL is checkpointed (sooner once the WAL passes 256 MiB). */
    public Duration flushInterval;
    public Duration lookbackDelta;
    public Duration queryTimeout;
    public int queryMaxConcurrency;
    /** Prometheus's 50 M, or what the heap holds when that is less (see --query.max-samples). */
    public long queryMaxSamples;
    /** Most heap bytes of range query results kept for refreshes (0 = no cache). */
    public long queryResultCacheBytes;
    public Log.Level logLevel;

    /** Largest request body after decompression (and on the wire). */
    public long maxRequestBytes;
    public int workerThreads;
    /** Ingest requests (OTLP + remote-write) processed at once; more get 429/503 with Retry-After. */
    public int maxIngestInFlight;
    public Duration shutdownTimeout;

    // OTLP translation (Prometheus's otlp: config block)
    public List<String> promoteResourceAttributes;
    public boolean promoteAllResourceAttributes;
    public List<String> ignoreResourceAttributes;
    public boolean keepIdentifyingResourceAttributes;
    public boolean promoteScopeMetadata;

    // OTLP delta -> cumulative
    public Duration deltaMaxIdle;
    public int deltaMaxStreams;
    public Duration deltaRecoveryLookback;

    // Claude Code events (OTLP logs) -> metrics
    /** How long the (session.id, event.sequence) pairs already counted are remembered after a session's last record. */
    public Duration eventsDedupWindow;

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
    public boolean claudeCodeRules;
    public Duration forOutageTolerance;
    public Duration forGracePeriod;
    public Duration resendDelay;
    public int notificationQueueCapacity;

    // label limits applied to every ingested series (0 = unlimited)
    public int maxLabelsPerSeries;
    public int maxLabelNameLength;
    public int maxLabelValueLength;

    public ServerConfig() {
        FlagTable.applyDefaults(this);
    }
}
