package tally.storage;

import java.nio.file.Path;
import tally.storage.store.StoreOptions;
import tally.storage.wal.WalOptions;

/**
 * Everything that tunes the storage. {@link #defaults(Path)} gives what a laptop user wants;
 * the server maps its flags onto the with-ers.
 */
public record StorageOptions(
        Path dir,
        WalOptions wal,
        StoreOptions store,
        int samplesPerChunk,          // a head chunk is sealed after this many samples
        long idleSeriesMillis,        // a series with no sample this long (in data time) is sealed and leaves the head
        long flushIntervalMillis,     // how often sealed chunks move to Chronicle Map and the WAL is checkpointed
        long flushWalBytes,           // ...or sooner, once the WAL grows past this
        long outOfOrderWindowMillis,  // > 0: accept samples older than a series' newest back to the head's newest minus this; 0 = refuse
        MemoryBudget memory,          // heap each growing part may take before the storage flushes early and pushes back
        long maxHeadSeries            // > 0: samples of new series are refused once the head holds this many; 0 = the memory budget only
) {
    public static StorageOptions defaults(Path dir) {
        return new StorageOptions(dir, WalOptions.defaults(), StoreOptions.defaults().withPastDaysInHeap(true),
                120, 3_600_000L, 120_000L, 256L << 20, 0L, MemoryBudget.forThisJvm(), 0L);
    }

    public StorageOptions withMemory(MemoryBudget m) {
        return new StorageOptions(dir, wal, store, samplesPerChunk, idleSeriesMillis, flushIntervalMillis, flushWalBytes, outOfOrderWindowMillis, m, maxHeadSeries);
    }

    public StorageOptions withStore(StoreOptions s) {
        return new StorageOptions(dir, wal, s, samplesPerChunk, idleSeriesMillis, flushIntervalMillis, flushWalBytes, outOfOrderWindowMillis, memory, maxHeadSeries);
    }

    public StorageOptions withWal(WalOptions w) {
        return new StorageOptions(dir, w, store, samplesPerChunk, idleSeriesMillis, flushIntervalMillis, flushWalBytes, outOfOrderWindowMillis, memory, maxHeadSeries);
    }

    public StorageOptions withSamplesPerChunk(int n) {
        return new StorageOptions(dir, wal, store, n, idleSeriesMillis, flushIntervalMillis, flushWalBytes, outOfOrderWindowMillis, memory, maxHeadSeries);
    }

    public StorageOptions withIdleSeriesMillis(long ms) {
        return new StorageOptions(dir, wal, store, samplesPerChunk, ms, flushIntervalMillis, flushWalBytes, outOfOrderWindowMillis, memory, maxHeadSeries);
    }

    public StorageOptions withOutOfOrderWindowMillis(long ms) {
        if (ms < 0) throw new IllegalArgumentException("out-of-order window must not be negative: " + ms);
        return new StorageOptions(dir, wal, store, samplesPerChunk, idleSeriesMillis, flushIntervalMillis, flushWalBytes, ms, memory, maxHeadSeries);
    }

    public StorageOptions withFlushIntervalMillis(long ms) {
        return new StorageOptions(dir, wal, store, samplesPerChunk, idleSeriesMillis, ms, flushWalBytes, outOfOrderWindowMillis, memory, maxHeadSeries);
    }

    public StorageOptions withMaxHeadSeries(long n) {
        if (n < 0) throw new IllegalArgumentException("max head series must not be negative: " + n);
        return new StorageOptions(dir, wal, store, samplesPerChunk, idleSeriesMillis, flushIntervalMillis, flushWalBytes, outOfOrderWindowMillis, memory, n);
    }
}
