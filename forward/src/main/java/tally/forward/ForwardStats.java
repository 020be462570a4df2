package tally.forward;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** One target's counters and gauges, read by /metrics and the status endpoint. Written by the forwarder's threads. */
public final class ForwardStats {
    /** Samples the target acknowledged. */
    public final LongAdder samplesSent = new LongAdder();
    /** Samples the target refused with a non-retryable answer (4xx other than 429): dropped, as Prometheus does. */
    public final LongAdder samplesFailed = new LongAdder();
    /** Samples of series the write relabeling dropped. */
    public final LongAdder samplesDropped = new LongAdder();
    /** Samples sent again after a retryable failure (5xx, 429, network). */
    public final LongAdder samplesRetried = new LongAdder();
    /** Samples older than queue_config.sample_age_limit, not sent. */
    public final LongAdder samplesTooOld = new LongAdder();
    /** Samples whose series name the WAL no longer had (after a gap). */
    public final LongAdder samplesUnknownSeries = new LongAdder();
    public final LongAdder requests = new LongAdder();
    public final LongAdder requestsFailed = new LongAdder();
    public final LongAdder bytesSent = new LongAdder();
    public final LongAdder metadataSent = new LongAdder();
    /** Times part of the WAL this target needed was gone (past the kept-WAL cap, or corrupt). */
    public final LongAdder walGaps = new LongAdder();
    /** Highest sample timestamp (ms) read from the WAL for this target. */
    public final AtomicLong highestReadMillis = new AtomicLong(Long.MIN_VALUE);
    /** Highest sample timestamp (ms) the target acknowledged. */
    public final AtomicLong highestSentMillis = new AtomicLong(Long.MIN_VALUE);
    volatile int shards;
    volatile long pending;
    volatile String protocol = "";
    volatile String lastError = "";
    volatile long lastErrorMillis;
    volatile String acknowledgedPosition = "";

    public int shards() { return shards; }

    public long pending() { return pending; }

    /** The remote-write version being sent ("1.0" or "2.0"; 2.0 falls back to 1.0 when the target does not speak it). */
    public String protocol() { return protocol; }

    public String lastError() { return lastError; }

    public long lastErrorMillis() { return lastErrorMillis; }

    /** The WAL position up to which the target acknowledged everything (persisted: a restart resends from here). */
    public String acknowledgedPosition() { return acknowledgedPosition; }

    /** How far the target is behind what was read, in data time: 0 when nothing is pending. */
    public double lagSeconds() {
        long read = highestReadMillis.get(), sent = highestSentMillis.get();
        if (pending == 0 || read == Long.MIN_VALUE) return 0;
        if (sent == Long.MIN_VALUE) return 0;
        return Math.max(0, read - sent) / 1000.0;
    }

    static void max(AtomicLong a, long v) {
        long cur;
        while (v > (cur = a.get()) && !a.compareAndSet(cur, v)) { }
    }
}
