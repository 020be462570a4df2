package tally.server.forward;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import tally.forward.ForwardStats;
import tally.forward.Forwarder;
import tally.forward.RemoteWriteService;
import tally.forward.WalSource;
import tally.model.Storage;
import tally.server.config.ServerConfig;
import tally.server.metrics.MetricWriter;
import tally.server.metrics.MetricsRegistry;
import tally.storage.TallyStorage;
import tally.storage.wal.WalHolds;
import tally.storage.wal.WalPosition;
import tally.storage.wal.WalTailer;

/**
 * Connects remote_write targets to the server: their WAL holds before the storage opens, their forwarders once it
 * is open, their metrics on /metrics (Prometheus's {@code prometheus_remote_storage_*} names, so dashboards and
 * alerts written for Prometheus's remote-write work unchanged) and the status endpoint.
 */
public final class RemoteWriteWiring {
    private RemoteWriteWiring() {}

    /** Where targets keep their acknowledged positions. */
    public static Path stateRoot(ServerConfig cfg) {
        return Path.of(cfg.storagePath).resolve("remote-write");
    }

    /**
     * The WAL holds for the configured targets. Always made (with no target it holds nothing and the WAL deletes as
     * it would without), so that a reload may add targets.
     */
    public static WalHolds holds(ServerConfig cfg) throws IOException {
        return RemoteWriteService.holds(cfg.remoteWrite, stateRoot(cfg), cfg.remoteWriteMaxKeptWal);
    }

    /**
     * Starts the configured forwarders (possibly none: a reload may add some). Null when the storage is not Tally's
     * own opened by {@code tally} (tests over other storage); then configured targets are an error.
     */
    public static RemoteWriteService start(ServerConfig cfg, Storage storage, MetricsRegistry registry) throws IOException {
        if (!(storage instanceof TallyStorage t) || t.walHolds() == null) {
            if (cfg.remoteWrite.isEmpty()) return null;
            throw new IllegalStateException("remote_write needs Tally's own storage opened with the targets' WAL holds");
        }
        WalSource wal = new WalSource() {
            @Override
            public WalPosition committed() { return t.walCommitted(); }

            @Override
            public WalTailer tail(WalPosition start, WalTailer.Handler handler) { return t.tailWal(start, handler); }
        };
        RemoteWriteService service = RemoteWriteService.start(cfg.remoteWrite, cfg.rules.externalLabels(), wal, t.walHolds(),
                stateRoot(cfg), storage::metadata);
        exportMetrics(registry, service, t);
        return service;
    }

    private static void exportMetrics(MetricsRegistry registry, RemoteWriteService service, TallyStorage storage) {
        String[] names = {"remote_name", "url"};
        registry.register(out -> {
            List<Forwarder> fs = service.forwarders();
            if (fs.isEmpty()) return;
            counter(out, fs, names, "prometheus_remote_storage_samples_total", "Samples the target acknowledged.", s -> s.samplesSent.sum());
            counter(out, fs, names, "prometheus_remote_storage_samples_failed_total",
                    "Samples the target refused with a non-retryable error (dropped).", s -> s.samplesFailed.sum());
            counter(out, fs, names, "prometheus_remote_storage_samples_retried_total",
                    "Samples sent again after a retryable error (5xx, 429, network).", s -> s.samplesRetried.sum());
            counter(out, fs, names, "prometheus_remote_storage_samples_dropped_total",
                    "Samples not sent because write_relabel_configs dropped their series.", s -> s.samplesDropped.sum());
            counter(out, fs, names, "prometheus_remote_storage_bytes_total", "Compressed request bytes the target acknowledged.",
                    s -> s.bytesSent.sum());
            counter(out, fs, names, "prometheus_remote_storage_metadata_total", "Metadata entries sent.", s -> s.metadataSent.sum());
            counter(out, fs, names, "tally_remote_write_requests_total", "Requests sent to the target, retries included.",
                    s -> s.requests.sum());
            counter(out, fs, names, "tally_remote_write_requests_failed_total", "Requests that failed (retried or dropped).",
                    s -> s.requestsFailed.sum());
            counter(out, fs, names, "tally_remote_write_samples_too_old_total", "Samples older than queue_config.sample_age_limit, not sent.",
                    s -> s.samplesTooOld.sum());
            counter(out, fs, names, "tally_remote_write_samples_unknown_series_total",
                    "Samples not sent because the WAL no longer named their series (after a gap in the WAL).",
                    s -> s.samplesUnknownSeries.sum());
            counter(out, fs, names, "tally_remote_write_wal_gaps_total",
                    "Times WAL the target still needed was gone (past --remote-write.max-kept-wal, or corrupt).", s -> s.walGaps.sum());
            gauge(out, fs, names, "prometheus_remote_storage_samples_pending", "Samples read from the WAL and not yet acknowledged.",
                    ForwardStats::pending);
            gauge(out, fs, names, "prometheus_remote_storage_shards", "Shards sending to the target.", ForwardStats::shards);
            gauge(out, fs, names, "prometheus_remote_storage_queue_highest_sent_timestamp_seconds",
                    "Newest sample timestamp the target acknowledged.", s -> seconds(s.highestSentMillis.get()));
            gauge(out, fs, names, "prometheus_remote_storage_highest_timestamp_in_seconds",
                    "Newest sample timestamp read from the WAL for the target.", s -> seconds(s.highestReadMillis.get()));
            gauge(out, fs, names, "tally_remote_write_lag_seconds",
                    "How far the target is behind what was read, in sample time (0 when nothing is pending).", ForwardStats::lagSeconds);
            out.family("tally_remote_write_relabel_over_budget_total",
                    "Series write_relabel_configs dropped because a regex used up its work budget.", "counter");
            for (Forwarder f : fs) out.sample("tally_remote_write_relabel_over_budget_total", names,
                    new String[] {f.name(), f.config().url().toString()}, f.relabelOverBudget());
            out.family("tally_remote_write_wal_kept_bytes", "WAL bytes kept past checkpoints only because a target still needs them.", "gauge");
            out.sample("tally_remote_write_wal_kept_bytes", storage.walHeldBytes());
        });
    }

    private interface Stat {
        double of(ForwardStats s);
    }

    private static void counter(MetricWriter out, List<Forwarder> fs, String[] names, String name, String help, Stat stat) {
        family(out, fs, names, name, help, "counter", stat);
    }

    private static void gauge(MetricWriter out, List<Forwarder> fs, String[] names, String name, String help, Stat stat) {
        family(out, fs, names, name, help, "gauge", stat);
    }

    private static void family(MetricWriter out, List<Forwarder> fs, String[] names, String name, String help, String type, Stat stat) {
        out.family(name, help, type);
        for (Forwarder f : fs) {
            out.sample(name, names, new String[] {f.name(), f.config().url().toString()}, stat.of(f.stats()));
        }
    }

    private static double seconds(long millis) {
        return millis == Long.MIN_VALUE ? 0 : millis / 1000.0;
    }

    /** Each target's state, for GET /api/v1/status/remote_write. */
    public static Map<String, Object> status(RemoteWriteService service) {
        List<Map<String, Object>> targets = new java.util.ArrayList<>();
        if (service != null) {
            for (Forwarder f : service.forwarders()) {
                ForwardStats s = f.stats();
                Map<String, Object> m = new java.util.LinkedHashMap<>();
                m.put("name", f.name());
                m.put("url", f.config().url().toString());
                m.put("protocol", s.protocol());
                m.put("shards", s.shards());
                m.put("samplesSent", s.samplesSent.sum());
                m.put("samplesPending", s.pending());
                m.put("samplesFailed", s.samplesFailed.sum());
                m.put("samplesRetried", s.samplesRetried.sum());
                m.put("samplesDropped", s.samplesDropped.sum());
                m.put("lagSeconds", s.lagSeconds());
                m.put("highestSentTimestamp", s.highestSentMillis.get() == Long.MIN_VALUE ? null
                        : java.time.Instant.ofEpochMilli(s.highestSentMillis.get()).toString());
                m.put("acknowledgedWalPosition", s.acknowledgedPosition());
                m.put("walGaps", s.walGaps.sum());
                m.put("samplesUnknownSeries", s.samplesUnknownSeries.sum());
                m.put("lastError", s.lastError());
                m.put("lastErrorTime", s.lastErrorMillis() == 0 ? null : java.time.Instant.ofEpochMilli(s.lastErrorMillis()).toString());
                targets.add(m);
            }
        }
        return Map.of("targets", targets);
    }
}
