package tally.storage.wal;

/**
 * A point in the log: a segment's sequence number and a byte offset in it, at a record boundary. Ordered as the
 * log is. Readers of the log (remote-write senders) persist it to resume where they were acknowledged.
 */
public record WalPosition(long segment, long offset) implements Comparable<WalPosition> {
    /** Offsets fit in 40 bits (segments are at most 1 GiB), so a position packs into one long. */
    private static final int OFFSET_BITS = 40;

    public WalPosition {
        if (segment < 0 || offset < 0 || offset >= (1L << OFFSET_BITS) || segment >= (1L << (63 - OFFSET_BITS)))
            throw new IllegalArgumentException("bad WAL position " + segment + ":" + offset);
    }

    /** One long that orders as the position does: lets queues carry a position per sample without an object. */
    public long pack() { return (segment << OFFSET_BITS) | offset; }

    public static WalPosition unpack(long packed) {
        return new WalPosition(packed >>> OFFSET_BITS, packed & ((1L << OFFSET_BITS) - 1));
    }

    public static long pack(long segment, long offset) { return (segment << OFFSET_BITS) | offset; }

    @Override
    public int compareTo(WalPosition o) {
        int c = Long.compare(segment, o.segment);
        return c != 0 ? c : Long.compare(offset, o.offset);
    }

    @Override
    public String toString() { return segment + ":" + offset; }
}
