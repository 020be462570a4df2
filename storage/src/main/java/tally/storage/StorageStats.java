package tally.storage;

import tally.storage.head.HeadStats;
import tally.storage.store.StoreStats;
import tally.storage.wal.ReplayStats;

/** A point-in-time view of the storage for /metrics and /api/v1/status/tsdb. */
public record StorageStats(int headSeries, HeadStats head, long walBytes, int walSegments, StoreStats store,
                           ReplayStats lastReplay, long openMillis) {}
