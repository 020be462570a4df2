package tally.storage;

/**
 * How much of the heap each growing structure may take before the storage pushes back: the head, the sealed
 * chunks waiting in it for the store, and the store's heap blocks waiting to be sealed. Derived from the maximum
 * heap ({@link #forHeap}), so {@code -Xmx} is the one knob; docs/configuration.md ("Memory") has the numbers.
 *
 * @param headMaxSeries        series the head may hold; at this, ingest is answered "retry later" (503) until
 *                             the flusher has retired idle ones
 * @param headPendingBytes     sealed chunks waiting in the head past which the flusher moves them to the store
 *                             at once; four times this also pushes back on ingest
 * @param heapBlockBytes       a heap block (a past day written straight into the sealed form) stops taking writes
 *                             and is sealed once its estimated heap use reaches this
 * @param heapBlocksBytes      all heap blocks not yet sealed together: past this, the writer seals the largest
 *                             itself before it continues (the flusher slows down, the head fills, ingest waits)
 * @param heapPressureFraction heap in use right after a garbage collection, as a fraction of the maximum, past
 *                             which ingest is asked to retry later
 * @param querySeries          series all running queries may hold selected at once (~0.5 KiB each); a query past it
 *                             fails instead of running the process out of memory
 */
public record MemoryBudget(long headMaxSeries, long headPendingBytes, long heapBlockBytes, long heapBlocksBytes,
                           double heapPressureFraction, long querySeries) {
    public MemoryBudget {
        if (headMaxSeries < 1 || headPendingBytes < 1 || heapBlockBytes < 1 || heapBlocksBytes < heapBlockBytes
                || querySeries < 4096) {
            throw new IllegalArgumentException("memory budget must be positive, with heapBlocksBytes >= heapBlockBytes "
                    + "and querySeries >= 4096");
        }
    }

    /**
     * The budget for a heap of {@code maxHeapBytes}: at 1 GiB, 262 k head series, 16 MiB pending, 32/64 MiB heap
     * blocks, 1.4 M series selected by running queries (a selected series takes ~0.55 KiB while its query runs).
     */
    public static MemoryBudget forHeap(long maxHeapBytes) {
        long series = Math.max(10_000, Math.min(50_000_000, maxHeapBytes / 4096));
        long pending = Math.max(1 << 20, maxHeapBytes / 64);
        long block = Math.max(1 << 20, maxHeapBytes / 32);
        long querySeries = Math.max(65_536, maxHeapBytes / 768);
        return new MemoryBudget(series, pending, block, 2 * block, 0.85, querySeries);
    }

    /** The budget for this JVM's maximum heap. */
    public static MemoryBudget forThisJvm() {
        return forHeap(Runtime.getRuntime().maxMemory());
    }
}
