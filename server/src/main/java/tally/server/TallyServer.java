package tally.server;

import io.netty.handler.codec.http.HttpMethod;
import tally.model.Storage;
import tally.server.config.ServerConfig;
import tally.server.http.HttpServer;
import tally.server.http.Router;
import tally.server.http.StaticHandlers;
import tally.server.ingest.IngestLimiter;
import tally.server.ingest.LabelLimits;
import tally.server.ingest.MetadataRecorder;
import tally.server.log.Log;
import tally.server.metrics.JvmMetrics;
import tally.server.metrics.ServerMetrics;
import tally.server.otlp.OtlpMetricsHandler;
import tally.server.otlp.OtlpTranslator;
import tally.server.otlp.TranslationSettings;
import tally.server.otlp.UnsupportedSignalHandler;
import tally.server.otlp.delta.DeltaAccumulator;
import tally.server.otlp.delta.StorageHistory;
import tally.server.remotewrite.RemoteWriteHandler;

import java.net.InetSocketAddress;
import java.util.HashSet;

/**
 * The running server: web listener (health, /metrics, remote-write, OTLP; the query API registers
 * on {@link #webRouter()}), the OTLP listener, and the storage they write to. {@link #close()}
 * stops accepting, finishes in-flight requests and closes the storage (clean-shutdown marker).
 */
public final class TallyServer implements AutoCloseable {
    private final ServerConfig config;
    private final Storage storage;
    private final ServerMetrics metrics = ServerMetrics.create();
    private final Router webRouter = new Router();
    private final Router otlpRouter = new Router();
    private final DeltaAccumulator delta;
    private final HttpServer http;
    private final tally.server.rules.RulesService rules;
    /** What POST /-/quit runs; Main replaces it with the process's orderly exit. */
    private volatile Runnable onQuit = this::close;
    private InetSocketAddress webAddress;
    private InetSocketAddress otlpAddress;
    private boolean closed;

    public TallyServer(ServerConfig config, Storage storage) {
        this.config = config;
        this.storage = storage;
        JvmMetrics.register(metrics.registry);
        this.delta = new DeltaAccumulator(new StorageHistory(storage), config.deltaMaxStreams,
                config.deltaMaxIdle.toMillis(), config.deltaRecoveryLookback.toMillis(), System::currentTimeMillis, true);
        metrics.registry.gauge("tally_otlp_delta_streams", "Delta streams whose running totals are held in memory.", delta::size);
        this.http = new HttpServer(config.workerThreads, 1024, (int) Math.min(Integer.MAX_VALUE - 8, config.maxRequestBytes), metrics);
        metrics.registry.gauge("tally_http_in_flight_requests", "Requests received and not yet answered.", http::inFlight);
        this.rules = new tally.server.rules.RulesService(config, storage, engineOptions());
        tally.server.rules.RulesService.exportMetrics(metrics.registry, rules);
        registerRoutes();
    }

    private void registerRoutes() {
        IngestLimiter limiter = new IngestLimiter(config.maxIngestInFlight, storage, metrics);
        LabelLimits limits = new LabelLimits(config.maxLabelsPerSeries, config.maxLabelNameLength, config.maxLabelValueLength);
        MetadataRecorder metadata = new MetadataRecorder(storage);
        TranslationSettings settings = new TranslationSettings(new HashSet<>(config.promoteResourceAttributes),
                config.promoteAllResourceAttributes, new HashSet<>(config.ignoreResourceAttributes),
                config.keepIdentifyingResourceAttributes, config.promoteScopeMetadata);
        OtlpMetricsHandler otlp = new OtlpMetricsHandler(storage, new OtlpTranslator(settings, delta, metadata), delta, limiter,
                limits, config.maxRequestBytes, metrics);
        RemoteWriteHandler remoteWrite = new RemoteWriteHandler(storage, metadata, limiter, limits, config.maxRequestBytes, metrics);

        for (Router r : new Router[] {webRouter, otlpRouter}) {
            r.add(HttpMethod.GET, "/-/healthy", StaticHandlers.healthy());
            r.add(HttpMethod.GET, "/-/ready", StaticHandlers.ready());
            r.add(HttpMethod.GET, "/metrics", StaticHandlers.metrics(metrics.registry));
        }
        webRouter.add(HttpMethod.POST, "/api/v1/write", remoteWrite);
        webRouter.add(HttpMethod.POST, "/api/v1/otlp/v1/metrics", otlp);
        webRouter.add(HttpMethod.POST, "/api/v1/otlp/v1/logs", new UnsupportedSignalHandler("logs"));
        webRouter.add(HttpMethod.POST, "/api/v1/otlp/v1/traces", new UnsupportedSignalHandler("traces"));
        tally.server.api.ApiRoutes.register(webRouter, storage, engineOptions(), tally.server.config.Flags.describe(config),
                config.storagePath, new tally.server.api.RulesApi(rules::groups),
                new tally.server.api.StatusApi.ConfigStatus(rules::lastReloadSuccessful, rules::lastReloadSuccessMillis));
        tally.server.rules.LifecycleHandlers.register(webRouter, config.enableLifecycle, rules, () -> onQuit.run());
        StorageWiring.exportMetrics(storage, metrics.registry);
        otlpRouter.add(HttpMethod.POST, "/v1/metrics", otlp);
        otlpRouter.add(HttpMethod.POST, "/v1/logs", new UnsupportedSignalHandler("logs"));
        otlpRouter.add(HttpMethod.POST, "/v1/traces", new UnsupportedSignalHandler("traces"));
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

    /** Listens, then loads the rules (a rule file that does not load stops the start, as for Prometheus). */
    public TallyServer start() throws InterruptedException, tally.server.config.ConfigException {
        webAddress = http.listen("web", config.webListenAddress, webRouter);
        if (config.otlpListenAddress != null) otlpAddress = http.listen("otlp", config.otlpListenAddress, otlpRouter);
        rules.start(webAddress.getPort());
        return this;
    }

    public InetSocketAddress webAddress() { return webAddress; }

    /** Null when the OTLP listener is disabled. */
    public InetSocketAddress otlpAddress() { return otlpAddress; }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        Log.info("shutting down: no new connections, finishing in-flight requests");
        http.shutdown(config.shutdownTimeout.toMillis());
        rules.close(); // before the storage: no rule writes after it closes
        delta.close();
        storage.close();
        Log.info("shutdown complete");
    }
}
