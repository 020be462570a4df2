package tally.storage.wal;

/**
 * WAL tuning.
 *
 * @param segmentBytes    a segment is closed and the next one started once it reaches this size (a segment may
 *                        exceed it by at most one record); also the size of checkpoint segment files
 * @param fsync           see {@link FsyncPolicy}
 * @param fsyncIntervalMs how often {@link FsyncPolicy#INTERVAL} forces the open segment
 * @param holds           segments readers of the log still need (remote-write senders), or null: none
 */
public record WalOptions(long segmentBytes, FsyncPolicy fsync, long fsyncIntervalMs, WalHolds holds) {
    static final long MAX_SEGMENT_BYTES = 1L << 30;

    public WalOptions {
        if (segmentBytes < 64 || segmentBytes > MAX_SEGMENT_BYTES)
            throw new IllegalArgumentException("segmentBytes must be in [64, 1 GiB]: " + segmentBytes);
        if (fsync == null) throw new IllegalArgumentException("fsync policy is null");
        if (fsync == FsyncPolicy.INTERVAL && fsyncIntervalMs <= 0)
            throw new IllegalArgumentException("fsyncIntervalMs must be > 0 with INTERVAL: " + fsyncIntervalMs);
    }

    public WalOptions(long segmentBytes, FsyncPolicy fsync, long fsyncIntervalMs) {
        this(segmentBytes, fsync, fsyncIntervalMs, null);
    }

    public WalOptions withHolds(WalHolds h) {
        return new WalOptions(segmentBytes, fsync, fsyncIntervalMs, h);
    }

    /** 64 MiB segments, fsync once a second. */
    public static WalOptions defaults() {
        return new WalOptions(64L << 20, FsyncPolicy.INTERVAL, 1000);
    }
}
