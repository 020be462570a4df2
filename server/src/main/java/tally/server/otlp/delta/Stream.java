package tally.server.otlp.delta;

/**
 * Running state of one delta stream. Callers lock the stream ({@code synchronized}) around
 * check + accumulate + append so concurrent requests for the same stream apply in order.
 */
public abstract class Stream {
    /** Start time (ns) of the first delta accumulated; 0 when unknown (state recovered from storage). */
    long startNs;
    /** Time (ns) of the last delta accumulated. */
    long lastTimeNs;
    /** Wall clock (ms) of the last use, for idle eviction. */
    volatile long lastUsedMillis;

    Stream(long startNs, long lastTimeNs) {
        this.startNs = startNs;
        this.lastTimeNs = lastTimeNs;
    }

    /**
     * Why a delta (start, time) cannot be added after the points already accumulated, or null when it can.
     * Out of order: not newer than the last point. Overlapping: starts before the last point ended (a replay).
     * Older start: belongs to an earlier incarnation of the stream.
     */
    public String refusal(long pointStartNs, long pointTimeNs) {
        if (lastTimeNs != 0 && pointTimeNs <= lastTimeNs) {
            return "delta point at " + pointTimeNs / 1_000_000 + "ms is not newer than the stream's last point at "
                    + lastTimeNs / 1_000_000 + "ms (out of order or duplicate)";
        }
        if (pointStartNs != 0 && lastTimeNs != 0 && pointStartNs < lastTimeNs) {
            return "delta point starting at " + pointStartNs / 1_000_000 + "ms overlaps the stream's last point ending at "
                    + lastTimeNs / 1_000_000 + "ms";
        }
        if (pointStartNs != 0 && startNs != 0 && pointStartNs < startNs) {
            return "delta point starts before the stream's first start time (older than the stream)";
        }
        return null;
    }

    /** Time (ns) of the last point accumulated, or of the stored sample it was recovered from; 0 when none. */
    public long lastTimeNs() { return lastTimeNs; }

    void accepted(long pointStartNs, long pointTimeNs) {
        if (startNs == 0) startNs = pointStartNs;
        lastTimeNs = pointTimeNs;
    }
}
