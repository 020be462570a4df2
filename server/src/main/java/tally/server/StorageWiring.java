package tally.server;

import java.nio.file.Path;
import tally.model.Storage;
import tally.server.config.ServerConfig;
import tally.server.metrics.MetricsRegistry;
import tally.storage.StorageOptions;
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
        StoreOptions store = new StoreOptions(s.partitionMillis(), cfg.retention.toMillis(), cfg.retentionBytes,
                s.initialSeriesPerPartition(), s.initialChunksPerPartition(), s.pastDaysInHeap());
        WalOptions w = d.wal();
        WalOptions wal = new WalOptions(w.segmentBytes(), FsyncPolicy.valueOf(cfg.walFsync.toUpperCase(java.util.Locale.ROOT)),
                w.fsyncIntervalMs());
        return TallyStorage.open(d.withStore(store).withWal(wal).withOutOfOrderWindowMillis(cfg.outOfOrderWindow.toMillis()));
    }

    static void exportMetrics(Storage storage, MetricsRegistry registry) {
        if (!(storage instanceof TallyStorage t)) return;
        registry.gauge("tally_head_series", "Series held in the head (recently written).", () -> t.stats().headSeries());
        registry.gauge("tally_head_series_created_total", "Series created in the head since start.",
                () -> t.stats().head().seriesCreated.sum());
        registry.gauge("tally_head_series_removed_total", "Idle series that left the head since start.",
                () -> t.stats().head().seriesRemoved.sum());
        registry.gauge("tally_head_samples_appended_total", "Samples appended since start.",
                () -> t.stats().head().samplesAppended.sum());
        registry.gauge("tally_head_samples_out_of_order_total", "Samples accepted older than their series' newest (out-of-order window).",
                () -> t.stats().head().samplesOutOfOrderAppended.sum());
        registry.gauge("tally_head_chunks_flushed_total", "Sealed chunks written to the store since start.",
                () -> t.stats().head().chunksFlushed.sum());
        registry.gauge("tally_head_checkpoints_total", "Flushes that checkpointed the WAL since start.",
                () -> t.stats().head().flushes.sum());
        registry.gauge("tally_wal_size_bytes", "Size of the write-ahead log on disk.", () -> t.stats().walBytes());
        registry.gauge("tally_storage_chunk_bytes", "Bytes of sealed chunks in the store.", () -> t.stats().store().chunkBytes());
        registry.gauge("tally_storage_index_bytes", "Bytes of series index in the store.", () -> t.stats().store().indexBytes());
        registry.gauge("tally_storage_disk_bytes", "Bytes the store occupies on disk.", () -> t.stats().store().diskBytes());
        registry.gauge("tally_storage_partitions", "Time partitions in the store.", () -> t.stats().store().partitions());
        registry.gauge("tally_storage_blocks_open", "Store blocks still in Chronicle Map form (being written or waiting to be sealed).",
                () -> t.stats().store().openBlocks());
    }
}
