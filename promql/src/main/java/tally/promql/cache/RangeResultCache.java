package tally.promql.cache;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import tally.model.WriteObserver;
import tally.promql.engine.SeriesPoints;

/**
 * Pieces of range query results (one piece: the values of a fixed run of steps, see {@link SplitRangeQuery}), kept
 * while the samples they were computed from cannot have changed, least recently used dropped past a size.
 *
 * <p>Invariant: an entry equals what evaluating its steps now would give. Three things keep it:
 * <ul>
 *   <li>only pieces whose samples all lie before {@link #cacheableBefore()} (the wall clock minus a freshness margin)
 *       are stored, so writes of current data, nearly all writes, touch no entry and cost one comparison;</li>
 *   <li>a commit of older samples ({@link #written}), which storage reports only once queries can see them, removes
 *       every entry that read at or after its oldest sample; retention's deletions ({@link #removedBefore}) remove
 *       every entry that read before the deleted end;</li>
 *   <li>either one also moves the generation on, and a piece computed while the generation moved is not stored: its
 *       evaluation may have started before the change was visible. {@link #generation()} is read before the
 *       evaluation starts and {@link #put} compares it under the same lock.</li>
 * </ul>
 * A write is only ignored when its oldest sample is at or after {@code cacheableBefore()} at the time it is reported;
 * a piece was judged cacheable earlier, against an earlier clock, so everything it read is older than that.
 */
public final class RangeResultCache implements WriteObserver {
    /** What a piece's values depend on besides the samples: the query text, its step grid and the lookback. */
    record Key(String query, long stepMs, long phaseMs, long lookbackMs, long piece) {}

    /** A piece's series (points only at its steps), annotations, and the time range its evaluation read. */
    record Entry(List<SeriesPoints> series, List<String> warnings, List<String> infos, long readMinT, long readMaxT,
                 long bytes) {}

    private final long maxBytes;
    private final long freshnessMs;
    private final LongSupplier clockMs;
    /** Access order: the eldest entry is the least recently used. Guarded by this. */
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;
    private long generation;
    /** The newest readMaxT of any entry: older writes than this may remove entries, newer cannot. */
    private volatile long newestRead = Long.MIN_VALUE;

    // counters for /metrics, guarded by this
    private long hits;
    private long misses;
    private long invalidated;
    private long evicted;

    /**
     * @param maxBytes    size past which the least recently used pieces go (estimated heap bytes)
     * @param freshnessMs how far behind the clock a piece's newest read sample must be to be kept
     */
    public RangeResultCache(long maxBytes, long freshnessMs, LongSupplier clockMs) {
        this.maxBytes = maxBytes;
        this.freshnessMs = freshnessMs;
        this.clockMs = clockMs;
    }

    /** Pieces that read only samples before this may be stored. */
    long cacheableBefore() {
        return clockMs.getAsLong() - freshnessMs;
    }

    synchronized long generation() {
        return generation;
    }

    synchronized Entry get(Key k) {
        Entry e = entries.get(k);
        if (e == null) {
            misses++;
        } else {
            hits++;
        }
        return e;
    }

    /** Stores a piece unless the samples changed since {@code generationBefore} was read (see the class comment). */
    synchronized void put(Key k, Entry e, long generationBefore) {
        if (generationBefore != generation || e.bytes() > maxBytes) return;
        Entry old = entries.put(k, e);
        if (old != null) bytes -= old.bytes();
        bytes += e.bytes();
        if (e.readMaxT() > newestRead) newestRead = e.readMaxT();
        Iterator<Entry> it = entries.values().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            bytes -= it.next().bytes();
            it.remove();
            evicted++;
        }
    }

    @Override
    public void written(long minT) {
        if (minT >= cacheableBefore()) return;
        synchronized (this) {
            generation++;
            if (minT <= newestRead) removeIf(minT, true);
        }
    }

    @Override
    public void removedBefore(long t) {
        synchronized (this) {
            generation++;
            removeIf(t, false);
        }
    }

    /** Removes the entries that read at or after {@code t} (newer) or before it (older). Holds the lock. */
    private void removeIf(long t, boolean newer) {
        for (Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator(); it.hasNext(); ) {
            Entry e = it.next().getValue();
            if (newer ? e.readMaxT() >= t : e.readMinT() < t) {
                bytes -= e.bytes();
                it.remove();
                invalidated++;
            }
        }
    }

    /** Counters and sizes for /metrics. */
    public record Stats(long hits, long misses, long invalidated, long evicted, long entries, long bytes, long maxBytes) {}

    public synchronized Stats stats() {
        return new Stats(hits, misses, invalidated, evicted, entries.size(), bytes, maxBytes);
    }
}
