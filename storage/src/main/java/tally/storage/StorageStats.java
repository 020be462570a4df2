package tally.storage;

import java.util.List;
import tally.storage.head.HeadStats;
import tally.storage.store.StoreStats;
import tally.storage.wal.ReplayStats;

/**
 * A point-in-time view of the storage for /metrics and /api/v1/status/tsdb: the head, the WAL, the store, the
 * last replay, the memory budget with what it bounds now (pending chunk bytes, heap used after the latest garbage
 * collection as a fraction of the maximum), and the background tasks (flush, retire, retention; the store's
 * sealing is in {@link StoreStats}).
 */
public record StorageStats(int headSeries, HeadStats head, long walBytes, int walSegments, StoreStats store,
                           ReplayStats lastReplay, long openMillis, long headPendingBytes, MemoryBudget memory,
                           double heapAfterGcFraction, List<TaskStats> tasks) {}
