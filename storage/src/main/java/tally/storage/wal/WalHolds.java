package tally.storage.wal;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Segments that readers of the log still need. A checkpoint normally deletes the segments it covers; with holds,
 * the WAL keeps the segments from the lowest held one on (and the checkpoint before it, which names the series
 * those segments refer to) until every hold has moved past them. Kept bytes are capped: past {@link #capBytes()},
 * the oldest kept segments are deleted anyway and the holds that still needed them are told how many they lost.
 * Register holds before the WAL opens: opening checkpoints at once.
 */
public final class WalHolds {
    private final long capBytes;
    private final CopyOnWriteArrayList<Hold> holds = new CopyOnWriteArrayList<>();
    private final AtomicLong segmentsDropped = new AtomicLong();

    public WalHolds(long capBytes) {
        if (capBytes < 0) throw new IllegalArgumentException("cap must be >= 0: " + capBytes);
        this.capBytes = capBytes;
    }

    public long capBytes() { return capBytes; }

    /** Holds the log from {@code segment} on ({@link Long#MAX_VALUE}: nothing yet, see {@link Hold#advance}). */
    public Hold hold(String name, long segment) {
        Hold h = new Hold(name, segment);
        holds.add(h);
        return h;
    }

    /** The hold registered under {@code name}, or null. */
    public Hold get(String name) {
        for (Hold h : holds) if (h.name.equals(name)) return h;
        return null;
    }

    /** Segments deleted past the cap while a hold still needed them, since start. */
    public long segmentsDropped() { return segmentsDropped.get(); }

    /** The lowest segment any hold needs, or {@link Long#MAX_VALUE}. */
    long lowest() {
        long low = Long.MAX_VALUE;
        for (Hold h : holds) low = Math.min(low, h.segment);
        return low;
    }

    /** Segments below {@code below} were deleted past the cap: holds that needed them lose them. */
    void dropped(long below, long segments) {
        if (segments > 0) segmentsDropped.addAndGet(segments);
        for (Hold h : holds) {
            if (h.segment < below) h.lost.addAndGet(Math.max(1, Math.min(segments, below - h.segment)));
        }
    }

    /** One reader's claim on the log. */
    public final class Hold {
        private final String name;
        private volatile long segment;
        private final AtomicLong lost = new AtomicLong();

        private Hold(String name, long segment) {
            this.name = name;
            this.segment = segment;
        }

        public String name() { return name; }

        public long segment() { return segment; }

        /** The reader no longer needs segments below {@code segment}. Holds move forward only, except from "nothing". */
        public void advance(long newSegment) {
            if (segment == Long.MAX_VALUE || newSegment > segment) segment = newSegment;
        }

        /** Segments this reader still needed that were deleted because the kept log passed the cap. */
        public long segmentsLost() { return lost.get(); }

        public void release() { holds.remove(this); }
    }
}
