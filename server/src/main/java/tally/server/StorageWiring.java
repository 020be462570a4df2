package tally.server;

import java.nio.file.Path;
import tally.model.Storage;
import tally.server.config.ServerConfig;
import tally.server.metrics.MetricsRegistry;
import tally.server.metrics.MetricWriter;
import tally.storage.StorageOptions;
import tally.storage.StorageStats;
import tally.storage.TaskStats;
import tally.storage.store.StoreStats;
import tally.storage.TallyStorage;
import tally.storage.store.StoreOptions;
import tally.storage.wal.FsyncPolicy;
import tally.storage.wal.WalOptions;

/** Opens Tally's storage engine from the server configuration and exports its gauges on /metrics. */
final class StorageWiring {
    private StorageWiring() {}

    static Storage open(ServerConfig cfg) throws Exception {
        StorageOptions d = StorageOptions.defaults(Path.of(cfg.storagePath));
        StoreOptions s = d.store();
        StoreOptions store = s.withRetention(cfg.retention.toMillis(), cfg.retentionBytes);
        WalOptions w = d.wal();
        WalOptions wal = new WalOptions(w.segmentBytes(), FsyncPolicy.valueOf(cfg.walFsync.toUpperCase(java.util.Locale.ROOT)),
                w.fsyncIntervalMs(), tally.server.forward.RemoteWriteWiring.holds(cfg));
        return TallyStorage.open(d.withStore(store).withWal(wal).withOutOfOrderWindowMillis(cfg.outOfOrderWindow.toMillis())
                .withFlushIntervalMillis(cfg.flushInterval.toMillis()).withMaxHeadSeries(cfg.maxHeadSeries));
    }

    /** Exports the storage's state on /metrics: one {@link TallyStorage#stats()} snapshot per scrape. */
    static void exportMetrics(Storage storage, MetricsRegistry registry) {
        if (!(storage instanceof TallyStorage t)) return;
        registry.register(out -> {
            StorageStats st = t.stats();
            StoreStats store = st.store();
            gauge(out, "tally_head_series", "Series held in the head (recently written).", st.headSeries());
            gauge(out, "tally_head_series_limit", "Series the head may hold before ingest is asked to retry (from the heap size).",
                    st.memory().headMaxSeries());
            counter(out, "tally_head_series_created_total", "Series created in the head since start.", st.head().seriesCreated.sum());
            counter(out, "tally_head_series_removed_total", "Idle series that left the head since start.", st.head().seriesRemoved.sum());
            counter(out, "tally_head_samples_appended_total", "Samples appended since start.", st.head().samplesAppended.sum());
            counter(out, "tally_head_samples_out_of_order_total",
                    "Samples accepted older than their series' newest (out-of-order window).", st.head().samplesOutOfOrderAppended.sum());
            counter(out, "tally_head_chunks_flushed_total", "Sealed chunks written to the store since start.", st.head().chunksFlushed.sum());
            counter(out, "tally_head_checkpoints_total", "Flushes that checkpointed the WAL since start.", st.head().flushes.sum());
            gauge(out, "tally_head_pending_chunk_bytes", "Sealed chunks waiting in the head for the store, with their heap overhead.",
                    st.headPendingBytes());
            gauge(out, "tally_wal_size_bytes", "Size of the write-ahead log on disk.", st.walBytes());
            gauge(out, "tally_storage_chunk_bytes", "Bytes of sealed chunks in the store.", store.chunkBytes());
            gauge(out, "tally_storage_index_bytes", "Bytes of series index in the store.", store.indexBytes());
            gauge(out, "tally_storage_disk_bytes", "Bytes the store occupies on disk.", store.diskBytes());
            gauge(out, "tally_storage_partitions", "Time partitions in the store.", store.partitions());
            gauge(out, "tally_storage_blocks_open", "Store blocks still in Chronicle Map form (being written or waiting to be sealed).",
                    store.openBlocks());
            gauge(out, "tally_storage_heap_block_bytes",
                    "Estimated heap use of blocks of past days written in memory and not yet sealed.", store.heapBlockBytes());
            counter(out, "tally_storage_heap_blocks_spilled_total",
                    "Heap blocks written to Chronicle Maps because sealing them failed.", store.heapBlocksSpilled());
            counter(out, "tally_storage_missing_chunks_total",
                    "Chunk reads that found the chunk missing from its block (a damaged file); each failed its query and is logged.",
                    store.missingChunks());
            gauge(out, "tally_heap_after_gc_ratio", "Heap in use right after the latest garbage collection, as a share of the maximum.",
                    st.heapAfterGcFraction());
            String[] task = {"task"};
            out.family("tally_storage_task_runs_total", "Runs of each background storage task, failed ones included.", "counter");
            for (TaskStats ts : st.tasks()) out.sample("tally_storage_task_runs_total", task, new String[] {ts.name()}, ts.runs());
            out.family("tally_storage_task_failures_total",
                    "Background storage tasks that failed (each was logged with its cause and is retried with back-off).", "counter");
            for (TaskStats ts : st.tasks()) out.sample("tally_storage_task_failures_total", task, new String[] {ts.name()}, ts.failures());
            out.sample("tally_storage_task_failures_total", task, new String[] {"seal"}, store.sealFailures());
            out.family("tally_storage_task_last_success_timestamp_seconds",
                    "When each background storage task last succeeded (0: not yet).", "gauge");
            for (TaskStats ts : st.tasks()) {
                out.sample("tally_storage_task_last_success_timestamp_seconds", task, new String[] {ts.name()}, ts.lastSuccessMillis() / 1000.0);
            }
        });
    }

    private static void gauge(MetricWriter out, String name, String help, double v) {
        out.family(name, help, "gauge").sample(name, v);
    }

    private static void counter(MetricWriter out, String name, String help, double v) {
        out.family(name, help, "counter").sample(name, v);
    }
}
