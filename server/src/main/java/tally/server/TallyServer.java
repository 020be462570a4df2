package tally.server;

import io.netty.handler.codec.http.HttpMethod;
import tally.model.Storage;
import tally.server.config.ServerConfig;
import tally.server.events.ClaudeCodeEvents;
import tally.server.grpc.GrpcServer;
import tally.server.http.HttpServer;
import tally.server.http.Router;
import tally.server.http.StaticHandlers;
import tally.server.ingest.IngestLimiter;
import tally.server.ingest.LabelLimits;
import tally.server.ingest.MetadataRecorder;
import tally.server.log.Log;
import tally.server.metrics.JvmMetrics;
import tally.server.metrics.ServerMetrics;
import tally.server.otlp.LabelNamer;
import tally.server.otlp.OtlpLogsExport;
import tally.server.otlp.OtlpLogsHandler;
import tally.server.otlp.OtlpMetricsHandler;
import tally.server.otlp.OtlpMetricsIngest;
import tally.server.otlp.OtlpTranslator;
import tally.server.otlp.TranslationSettings;
import tally.server.otlp.UnsupportedSignalHandler;
import tally.server.otlp.delta.DeltaAccumulator;
import tally.server.otlp.delta.StorageHistory;
import tally.server.otlp.logs.OtlpLogsIngest;
import tally.server.remotewrite.RemoteWriteHandler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashSet;

/**
 * The running server: web listener (health, /metrics, remote-write, OTLP; the query API registers
 * on {@link #webRouter()}), the OTLP/HTTP and OTLP/gRPC listeners, and the storage they write to. {@link #close()}
 * stops accepting, finishes in-flight requests and closes the storage (clean-shutdown marker).
 */
public final class TallyServer implements AutoCloseable {
    private final ServerConfig config;
    private final Storage storage;
    private final ServerMetrics metrics = ServerMetrics.create();
    private final Router webRouter = new Router();
    private final Router otlpRouter = new Router();
    private final DeltaAccumulator delta;
    private final MetadataRecorder metadata;
    private final ClaudeCodeEvents events;
    private final OtlpLogsExport logs;
    private final HttpServer http;
    private final GrpcServer grpc;
    private final tally.server.web.WebSecurity security;
    private final tally.server.rules.RulesService rules;
    /** The remote_write targets' forwarders, once started; null when none is configured. */
    private volatile tally.forward.RemoteWriteService remoteWrite;
    /** What POST /-/quit runs; Main replaces it with the process's orderly exit. */
    private volatile Runnable onQuit = this::close;
    private InetSocketAddress webAddress;
    private InetSocketAddress otlpAddress;
    private InetSocketAddress grpcAddress;
    private boolean closed;

    /** Opens the storage as {@code tally} does for this configuration (the WAL holds remote_write targets need included). */
    public static Storage openStorage(ServerConfig config) throws Exception {
        return StorageWiring.open(config);
    }

    /** The remote_write forwarders, or null when no target is configured. */
    public tally.forward.RemoteWriteService remoteWrite() { return remoteWrite; }

    public TallyServer(ServerConfig config, Storage storage) {
        this.config = config;
        this.storage = storage;
        JvmMetrics.register(metrics.registry);
        this.delta = new DeltaAccumulator(new StorageHistory(storage), config.deltaMaxStreams,
                config.deltaMaxIdle.toMillis(), config.deltaRecoveryLookback.toMillis(), System::currentTimeMillis, true);
        metrics.registry.gauge("tally_otlp_delta_streams",
                "Delta streams (and series derived from Claude Code events) whose running totals are held in memory.", delta::size);
        this.metadata = new MetadataRecorder(storage);
        this.events = openEvents(config, storage, delta, metadata, metrics);
        this.logs = new OtlpLogsIngest(events, translationSettings(config), new LabelNamer(), metrics, System::currentTimeMillis);
        this.security = webSecurity(config);
        this.http = new HttpServer(config.workerThreads, 1024, (int) Math.min(Integer.MAX_VALUE - 8, config.maxRequestBytes), metrics,
                security);
        metrics.registry.gauge("tally_http_in_flight_requests", "Requests received and not yet answered.", http::inFlight);
        this.rules = new tally.server.rules.RulesService(config, storage, engineOptions());
        tally.server.rules.RulesService.exportMetrics(metrics.registry, rules);
        IngestLimiter limiter = new IngestLimiter(config.maxIngestInFlight, storage, metrics);
        LabelLimits limits = labelLimits(config);
        // one metrics ingest for OTLP/HTTP (both ports) and OTLP/gRPC; one logs ingest likewise
        OtlpMetricsIngest metricsIngest = new OtlpMetricsIngest(storage, new OtlpTranslator(translationSettings(config), delta, metadata),
                delta, limiter, limits, requestLimits(config), metrics);
        this.grpc = new GrpcServer(metricsIngest::export, admitted(limiter, logs), (int) config.otlpGrpcMaxRecvMsgSize, metrics);
        registerRoutes(limiter, limits, metricsIngest);
    }

    /** The web config in force on every listener; Main checks the file first, so a bad one stops the start cleanly. */
    private static tally.server.web.WebSecurity webSecurity(ServerConfig config) {
        if (config.webConfigFile == null) return tally.server.web.WebSecurity.none();
        try {
            return tally.server.web.WebSecurity.open(Path.of(config.webConfigFile));
        } catch (tally.server.web.WebConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** gRPC's LogsService/Export: the same admission OTLP/HTTP's logs handler asks before its ingest. */
    private static tally.server.grpc.ExportHandler admitted(IngestLimiter limiter, OtlpLogsExport logs) {
        tally.server.otlp.OtlpHttpExport.Admission admission = tally.server.otlp.OtlpHttpExport.admission(limiter, OtlpLogsHandler.PROTOCOL);
        return protobuf -> {
            IngestLimiter.Refusal refused = admission.tryAdmit();
            if (refused != null) return tally.server.ingest.IngestOutcome.overloaded(refused);
            try {
                return logs.export(protobuf);
            } finally {
                admission.release();
            }
        };
    }

    private void registerRoutes(IngestLimiter limiter, LabelLimits limits, OtlpMetricsIngest metricsIngest) {
        OtlpMetricsHandler otlp = new OtlpMetricsHandler(metricsIngest, config.maxRequestBytes);
        OtlpLogsHandler otlpLogs = new OtlpLogsHandler(logs, limiter, config.maxRequestBytes);
        RemoteWriteHandler remoteWrite = new RemoteWriteHandler(storage, metadata, limiter, limits, requestLimits(config),
                config.maxRequestBytes, metrics);

        for (Router r : new Router[] {webRouter, otlpRouter}) {
            r.add(HttpMethod.GET, "/-/healthy", StaticHandlers.healthy());
            r.add(HttpMethod.GET, "/-/ready", StaticHandlers.ready());
            r.add(HttpMethod.GET, "/metrics", StaticHandlers.metrics(metrics.registry));
        }
        webRouter.add(HttpMethod.POST, "/api/v1/write", remoteWrite);
        webRouter.add(HttpMethod.POST, "/api/v1/otlp/v1/metrics", otlp);
        webRouter.add(HttpMethod.POST, "/api/v1/otlp/v1/logs", otlpLogs);
        webRouter.add(HttpMethod.POST, "/api/v1/otlp/v1/traces", new UnsupportedSignalHandler("traces"));
        tally.server.api.ApiRoutes.register(webRouter, storage, engineOptions(), tally.server.config.Flags.describe(config),
                config.storagePath, new tally.server.api.RulesApi(rules::groups),
                new tally.server.api.StatusApi.ConfigStatus(rules::lastReloadSuccessful, rules::lastReloadSuccessMillis),
                config.queryMaxConcurrency, QueryCacheWiring.create(config, storage, metrics.registry));
        tally.server.rules.LifecycleHandlers.register(webRouter, config.enableLifecycle, rules, () -> onQuit.run());
        webRouter.add(HttpMethod.GET, "/api/v1/status/remote_write", "remote_write_status", req -> new tally.server.http.Response(
                io.netty.handler.codec.http.HttpResponseStatus.OK, "application/json", new com.google.gson.Gson().toJson(java.util.Map.of(
                        "status", "success", "data", tally.server.forward.RemoteWriteWiring.status(this.remoteWrite)))
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        tally.server.ui.UiRoutes.register(webRouter); // the built-in page at / (reads only the API above)
        StorageWiring.exportMetrics(storage, metrics.registry);
        otlpRouter.add(HttpMethod.POST, "/v1/metrics", otlp);
        otlpRouter.add(HttpMethod.POST, "/v1/logs", otlpLogs);
        otlpRouter.add(HttpMethod.POST, "/v1/traces", new UnsupportedSignalHandler("traces"));
    }

    private static tally.server.ingest.RequestLimits requestLimits(ServerConfig config) {
        return new tally.server.ingest.RequestLimits(config.maxSeriesPerRequest, config.maxSamplesPerRequest);
    }

    private static LabelLimits labelLimits(ServerConfig config) {
        return new LabelLimits(config.maxLabelsPerSeries, config.maxLabelNameLength, config.maxLabelValueLength);
    }

    private static TranslationSettings translationSettings(ServerConfig config) {
        return new TranslationSettings(new HashSet<>(config.promoteResourceAttributes), config.promoteAllResourceAttributes,
                new HashSet<>(config.ignoreResourceAttributes), config.keepIdentifyingResourceAttributes, config.promoteScopeMetadata);
    }

    /** Claude Code events -> derived series, with the record of counted events in the data directory. */
    private static ClaudeCodeEvents openEvents(ServerConfig config, Storage storage, DeltaAccumulator delta, MetadataRecorder metadata,
                                               ServerMetrics metrics) {
        try {
            return ClaudeCodeEvents.open(Path.of(config.storagePath), config.eventsDedupWindow.toMillis(),
                    config.walFsync.equalsIgnoreCase("always"), storage, new StorageHistory(storage), delta, metadata, labelLimits(config),
                    new LabelNamer(), metrics.registry, System::currentTimeMillis);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the record of counted Claude Code events in " + config.storagePath, e);
        }
    }

    private tally.promql.engine.EngineOptions engineOptions() {
        return new tally.promql.engine.EngineOptions(config.lookbackDelta.toMillis(), 60_000L, config.queryTimeout.toMillis(),
                config.queryMaxSamples, 11_000);
    }

    /** The rules and their reloads (SIGHUP is wired by Main, for the process). */
    public tally.server.rules.RulesService rules() { return rules; }

    /** What POST /-/quit (with --web.enable-lifecycle) does; by default it closes this server. */
    public void onQuit(Runnable quit) { this.onQuit = quit; }

    /** Where the query API and other web handlers are registered (before or after start). */
    public Router webRouter() { return webRouter; }

    /** Tally's own metrics; the storage registers its gauges here ({@code metrics().registry.register(...)}). */
    public ServerMetrics metrics() { return metrics; }

    public Storage storage() { return storage; }

    /** The OTLP logs ingest, for transports other than OTLP/HTTP (gRPC's LogsService/Export). */
    public OtlpLogsExport logsExport() { return logs; }

    /** Listens, then loads the rules (a rule file that does not load stops the start, as for Prometheus). */
    public TallyServer start() throws InterruptedException, tally.server.config.ConfigException {
        // forwarders first: a new target starts at the end of the WAL as it is before anything is accepted, so
        // nothing a client writes once the listeners are up can fall before its starting point
        try {
            remoteWrite = tally.server.forward.RemoteWriteWiring.start(config, storage, metrics.registry);
        } catch (java.io.IOException e) {
            throw new tally.server.config.ConfigException("remote_write: " + e.getMessage());
        }
        tally.forward.RemoteWriteService rw = remoteWrite;
        try {
            webAddress = http.listen("web", config.webListenAddress, webRouter);
            if (config.otlpListenAddress != null) otlpAddress = http.listen("otlp", config.otlpListenAddress, otlpRouter);
            if (config.otlpGrpcListenAddress != null) grpcAddress = grpc.listen(http, config.otlpGrpcListenAddress);
            rules.start(webAddress.getPort());
        } catch (InterruptedException | tally.server.config.ConfigException | RuntimeException e) {
            if (rw != null) rw.close(0); // what they read is saved; the next start resumes from it
            throw e;
        }
        if (rw != null) rules.onReload(c -> rw.apply(c.remoteWrite(), c.rules().externalLabels()));
        return this;
    }

    public InetSocketAddress webAddress() { return webAddress; }

    /** The built-in page's address, for the start-up line (https when the web config turns TLS on). */
    public String pageUrl() {
        String host = webAddress.getAddress().isAnyLocalAddress() ? "127.0.0.1" : webAddress.getHostString();
        if (host.contains(":")) host = "[" + host + "]";
        return (security.tlsEnabled() ? "https" : "http") + "://" + host + ":" + webAddress.getPort() + "/";
    }

    /** Null when the OTLP listener is disabled. */
    public InetSocketAddress otlpAddress() { return otlpAddress; }

    /** Null when the OTLP/gRPC listener is disabled. */
    public InetSocketAddress grpcAddress() { return grpcAddress; }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        Log.info("shutting down: no new connections, finishing in-flight requests");
        http.shutdown(config.shutdownTimeout.toMillis());
        rules.close(); // before the storage: no rule writes after it closes
        tally.forward.RemoteWriteService rw = remoteWrite;
        if (rw != null) rw.close(5_000); // what is left unsent goes out after the restart, from the saved position
        delta.close();
        events.close();
        storage.close();
        security.close();
        Log.info("shutdown complete");
    }
}
