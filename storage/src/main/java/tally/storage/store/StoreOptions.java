package tally.storage.store;

/**
 * Tuning of the chunk store.
 *
 * @param partitionMillis           length of a time partition (one folder of maps)
 * @param retentionMillis           partitions ending before now - retentionMillis are deleted
 * @param retentionBytes            when > 0, oldest partitions are deleted while the store is larger
 * @param initialSeriesPerPartition capacity of the first partition's series map (later ones are sized from the previous)
 * @param initialChunksPerPartition capacity of the first partition's chunk map (likewise)
 * @param pastDaysInHeap            a partition that ended (by the wall clock) more than the sealing grace ago gets
 *                                  its new blocks in the heap, written straight into the sealed form, instead of
 *                                  Chronicle Maps: a backfill's days skip the map stage (the WAL keeps them durable
 *                                  until then). The server turns this on; the store's own tests cover both forms.
 * @param heapBlockBytes            a heap block stops taking writes and is sealed in the background once its estimated
 *                                  heap use (chunks and in-memory index) reaches this
 * @param heapBlocksBytes           unsealed heap blocks together: past this a write seals the largest ones itself
 *                                  before it returns, so a writer faster than the sealer waits instead of filling the heap
 * @param querySeries               series all running queries may hold selected at once ({@link QuerySeriesBudget})
 */
public record StoreOptions(long partitionMillis, long retentionMillis, long retentionBytes,
                           long initialSeriesPerPartition, long initialChunksPerPartition, boolean pastDaysInHeap,
                           long heapBlockBytes, long heapBlocksBytes, long querySeries) {
    public static final long DAY_MILLIS = 86_400_000L;
    private static final long DEFAULT_HEAP_BLOCK_BYTES = 32L << 20;

    public StoreOptions {
        if (partitionMillis <= 0) throw new IllegalArgumentException("partitionMillis must be > 0");
        if (retentionMillis <= 0) throw new IllegalArgumentException("retentionMillis must be > 0");
        if (retentionBytes < 0) throw new IllegalArgumentException("retentionBytes must be >= 0");
        if (initialSeriesPerPartition < 1 || initialChunksPerPartition < 1) {
            throw new IllegalArgumentException("initial capacities must be >= 1");
        }
        if (heapBlockBytes < 1 || heapBlocksBytes < heapBlockBytes) {
            throw new IllegalArgumentException("heap block budgets must be >= 1, the total at least one block");
        }
        if (querySeries < QuerySeriesBudget.STEP) throw new IllegalArgumentException("querySeries must be >= " + QuerySeriesBudget.STEP);
    }

    public StoreOptions(long partitionMillis, long retentionMillis, long retentionBytes,
                        long initialSeriesPerPartition, long initialChunksPerPartition, boolean pastDaysInHeap) {
        this(partitionMillis, retentionMillis, retentionBytes, initialSeriesPerPartition, initialChunksPerPartition,
                pastDaysInHeap, DEFAULT_HEAP_BLOCK_BYTES, 2 * DEFAULT_HEAP_BLOCK_BYTES, Long.MAX_VALUE / 2);
    }

    public StoreOptions(long partitionMillis, long retentionMillis, long retentionBytes,
                        long initialSeriesPerPartition, long initialChunksPerPartition) {
        this(partitionMillis, retentionMillis, retentionBytes, initialSeriesPerPartition, initialChunksPerPartition, false);
    }

    /** 1-day partitions, 90 days retention, no size limit; first partition sized for ~a team's day of Claude Code. */
    public static StoreOptions defaults() {
        return new StoreOptions(DAY_MILLIS, 90 * DAY_MILLIS, 0, 20_000, 40_000);
    }

    public StoreOptions withRetention(long millis, long bytes) {
        return new StoreOptions(partitionMillis, millis, bytes, initialSeriesPerPartition, initialChunksPerPartition,
                pastDaysInHeap, heapBlockBytes, heapBlocksBytes, querySeries);
    }

    public StoreOptions withPastDaysInHeap(boolean on) {
        return new StoreOptions(partitionMillis, retentionMillis, retentionBytes, initialSeriesPerPartition,
                initialChunksPerPartition, on, heapBlockBytes, heapBlocksBytes, querySeries);
    }

    public StoreOptions withHeapBlocks(long blockBytes, long totalBytes) {
        return new StoreOptions(partitionMillis, retentionMillis, retentionBytes, initialSeriesPerPartition,
                initialChunksPerPartition, pastDaysInHeap, blockBytes, totalBytes, querySeries);
    }

    public StoreOptions withQuerySeries(long series) {
        return new StoreOptions(partitionMillis, retentionMillis, retentionBytes, initialSeriesPerPartition,
                initialChunksPerPartition, pastDaysInHeap, heapBlockBytes, heapBlocksBytes, series);
    }
}
