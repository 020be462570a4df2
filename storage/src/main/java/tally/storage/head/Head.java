package tally.storage.head;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import tally.model.AppendException;
import tally.model.Labels;
import tally.model.MatchType;
import tally.model.Matcher;
import tally.storage.StorageOptions;
import tally.storage.chunk.ChunkEncoder;
import tally.storage.chunk.ChunkIterator;
import tally.storage.chunk.ChunkSnapshot;
import tally.storage.store.ChunkCursor;
import tally.storage.store.ChunkStore;
import tally.storage.store.MissingChunkException;
import tally.storage.store.StoreReader;
import tally.storage.store.StoredSeries;
import tally.storage.wal.Wal;
import tally.storage.wal.WalBatch;

/**
 * The in-memory part of the storage: live series with their open chunks and the sealed chunks
 * not yet flushed to the {@link ChunkStore}. Every sample here is also in the WAL.
 */
public final class Head {
    final StorageOptions opts;
    final ChunkStore store;
    final Wal wal;

    final ConcurrentHashMap<Labels, MemSeries> byLabels = new ConcurrentHashMap<>();
    final SeriesById byId = new SeriesById();
    final MemPostings postings = new MemPostings();
    final SeriesIdAllocator ids;
    /** Newest sample time seen: the head's clock for idleness (data time, so backfills behave). */
    final AtomicLong maxT = new AtomicLong(Long.MIN_VALUE);
    /** Told after each commit (copy on write: read on every commit, changed about once per process). */
    private volatile tally.model.WriteObserver[] writeObservers = new tally.model.WriteObserver[0];
    /**
     * Commits hold the read side while they resolve series, write the WAL and apply samples; the
     * flusher takes the write side only to retire idle series, so a commit never writes samples
     * for a series that is concurrently leaving the head.
     */
    final ReentrantReadWriteLock retireLock = new ReentrantReadWriteLock();
    /** Distinct batch ids let a commit log each series record at most once per batch. */
    final AtomicLong batchIds = new AtomicLong();

    final HeadStats stats = new HeadStats();
    /**
     * Bytes of sealed chunks waiting in the head for the store (plus a fixed cost per chunk). The flusher moves
     * them out in step with the data once they pass the budget, not only at its periodic flush.
     */
    final AtomicLong pendingBytes = new AtomicLong();
    /** Asked after a commit that made work for the flusher (data time moved on, pending chunks or series piled up). */
    private volatile Runnable wakeFlusher = () -> { };
    /** Data time at which idle series are next worth retiring (maintained by the flusher). */
    volatile long nextRetireT = Long.MIN_VALUE;
    final AppendBuffers.Pool appendBuffers = new AppendBuffers.Pool();
    final HeadClockFile clockFile;

    public Head(StorageOptions opts, ChunkStore store, Wal wal) throws java.io.IOException {
        this.opts = opts;
        this.store = store;
        this.wal = wal;
        // series that never go idle are never retired on data time (scratch databases keep all in the head)
        if (neverIdle()) nextRetireT = Long.MAX_VALUE;
        this.ids = new SeriesIdAllocator(opts.dir().resolve("series-id-floor"));
        this.clockFile = new HeadClockFile(opts.dir().resolve("head-max-time"));
        observeTime(clockFile.load());
    }

    public HeadAppender appender() {
        return new HeadAppender(this);
    }

    public HeadStats stats() {
        return stats;
    }

    /** Newest sample time written (data time), Long.MIN_VALUE before the first sample. */
    public long maxTime() {
        return maxT.get();
    }

    public int numSeries() {
        return postings.allCount();
    }

    /** Series never count as idle (an idle time of "forever"): nothing is retired on data time. */
    boolean neverIdle() {
        return opts.idleSeriesMillis() >= Long.MAX_VALUE / 8;
    }

    /** Data time from which idle series are worth retiring again. */
    public long nextRetireTime() {
        return nextRetireT;
    }

    /** Bytes of sealed chunks not yet moved to the store. */
    public long pendingBytes() {
        return pendingBytes.get();
    }

    /** Sets what a commit calls when the head has work for the flusher (see {@link #afterCommit}). */
    public void onFlushWork(Runnable wake) {
        this.wakeFlusher = wake;
    }

    /**
     * Wakes the flusher when data time passed the next retirement point, when pending chunks passed their
     * budget, or when the head holds half of its series budget: a backfill sent in minutes is then retired and
     * flushed in step with its data, not once per maintenance pass.
     */
    void afterCommit() {
        if (maxT.get() >= nextRetireT || pendingBytes.get() >= opts.memory().headPendingBytes()
                || postings.allCount() >= opts.memory().headMaxSeries() / 2) {
            wakeFlusher.run();
        }
    }

    /** Seals the series' open chunk into its pending list (caller holds its monitor). */
    void sealOpen(MemSeries s) {
        if (s.open.numSamples() == 0) return;
        SealedChunk c = s.sealOpen();
        pendingBytes.addAndGet(SealedChunk.heapBytes(c));
    }

    /** The live series with these labels, creating it (unlogged) when absent. */
    MemSeries getOrCreate(Labels labels) {
        MemSeries s = byLabels.get(labels);
        if (s != null) return s;
        MemSeries created = new MemSeries(ids.next(), labels);
        s = byLabels.putIfAbsent(labels, created);
        if (s != null) return s;
        byId.put(created);
        postings.add(created);
        stats.seriesCreated.increment();
        return created;
    }

    /**
     * As {@link #getOrCreate}, for a sample being appended: a series the head does not hold yet is refused once it
     * holds {@code --storage.max-head-series} (existing series keep taking samples). Concurrent appenders may pass
     * the limit by the few series they create at the same moment.
     */
    MemSeries getOrCreateWithinLimit(Labels labels) {
        long max = opts.maxHeadSeries();
        if (max > 0) {
            MemSeries s = byLabels.get(labels);
            if (s != null) return s;
            int held = numSeries();
            if (held >= max) {
                throw new AppendException(AppendException.Reason.LIMIT, "the head holds " + held + " series (--storage.max-head-series="
                        + max + "); samples of new series are refused until idle series leave the head");
            }
        }
        return getOrCreate(labels);
    }

    MemSeries byRef(long ref) {
        return ref == 0 ? null : byId.get(ref);
    }

    /**
     * Appends one committed sample (caller holds the series' monitor). A sample newer than the
     * series' newest goes to the open chunk, cut when full or when the sample falls into the next
     * store partition. An older one goes to the out-of-order buffer (the window was checked when it
     * was appended; a committed sample is never refused). Returns false when the head already has a
     * sample at t (a WAL replay overlap, or two appenders racing on one timestamp).
     */
    boolean appendLocked(MemSeries s, long t, double v, ChunkIterator scratch) {
        if (t > s.lastT) {
            int n = s.open.numSamples();
            if (n > 0 && (n >= opts.samplesPerChunk() || t >= s.openPartitionEnd)) sealOpen(s);
            if (s.open.numSamples() == 0) s.openPartitionEnd = store.partitionEnd(t);
            s.open.append(t, v);
            s.lastT = t;
            s.lastV = v;
            return true;
        }
        if (s.headValueAt(t, scratch)) return false;
        if (s.ooo == null) s.ooo = new OooBuffer(MemSeries.OOO_CAPACITY);
        s.ooo.insert(t, v);
        if (s.ooo.isFull()) sealOoo(s);
        stats.samplesOutOfOrderAppended.increment();
        return true;
    }

    /**
     * Appends committed samples {@code from..to-1} of one series (caller holds its monitor). In-order
     * samples take a loop that keeps the newest time in a local and publishes the volatile
     * {@code lastT} once per run; anything else goes through {@link #appendLocked}. Returns how many
     * were applied.
     */
    int appendRunLocked(MemSeries s, WalBatch batch, int from, int to, ChunkIterator scratch) {
        int applied = 0;
        int maxSamples = opts.samplesPerChunk();
        ChunkEncoder open = s.open;
        long lastT = s.lastT;
        double lastV = s.lastV;
        for (int k = from; k < to; k++) {
            long t = batch.time(k);
            double v = batch.value(k);
            if (t > lastT) {
                int n = open.numSamples();
                if (n > 0 && (n >= maxSamples || t >= s.openPartitionEnd)) {
                    sealOpen(s);
                    n = 0;
                }
                if (n == 0) s.openPartitionEnd = store.partitionEnd(t);
                open.append(t, v);
                lastT = t;
                lastV = v;
                applied++;
            } else {
                s.lastT = lastT; // the out-of-order path reads the series' own fields
                s.lastV = lastV;
                if (appendLocked(s, t, v, scratch)) applied++;
                lastT = s.lastT;
                lastV = s.lastV;
            }
        }
        if (lastT != s.lastT) s.lastT = lastT;
        s.lastV = lastV;
        return applied;
    }

    /** Moves the series' out-of-order buffer into its pending chunks (caller holds the monitor). */
    void sealOoo(MemSeries s) {
        if (s.ooo == null || s.ooo.size() == 0) return;
        for (SealedChunk c : s.ooo.drain(store::partitionEnd)) {
            s.pending.add(c);
            pendingBytes.addAndGet(SealedChunk.heapBytes(c));
        }
    }

    /**
     * Out-of-order acceptance floor: samples older than a series' newest are accepted back to the
     * head's newest sample time minus the window. Long.MAX_VALUE when out-of-order is disabled.
     */
    long outOfOrderFloor() {
        long w = opts.outOfOrderWindowMillis();
        if (w <= 0) return Long.MAX_VALUE;
        long newest = maxT.get();
        return newest < Long.MIN_VALUE + w ? Long.MIN_VALUE : newest - w;
    }

    /**
     * With an out-of-order window, the store may hold samples of a series newer than what the head
     * has (the series left the head and came back, a clean shutdown emptied the head, or only its
     * out-of-order samples were replayed). The newest stored one inside the window then becomes the
     * series' newest, so older samples take the out-of-order path (window and existence checks)
     * instead of being taken as in order. Looked up once per series in the head.
     */
    void resolveStoredNewest(MemSeries s) {
        long floor = outOfOrderFloor();
        if (floor == Long.MAX_VALUE) {
            s.storedNewestKnown = true;
            return;
        }
        long newestT = Long.MIN_VALUE;
        double newestV = 0;
        ChunkIterator it = new ChunkIterator();
        try (StoreReader r = store.reader(floor, Long.MAX_VALUE)) {
            for (StoredSeries ss : r.select(equalityMatchers(s.labels), false)) {
                if (!ss.labels().equals(s.labels)) continue;
                ChunkCursor c = ss.chunks(floor, Long.MAX_VALUE);
                while (nextReadable(c)) {
                    if (c.maxT() <= newestT) continue;
                    it.reset(c.array(), c.offset(), c.length());
                    if (it.seek(c.maxT()) && it.atT() == c.maxT()) {
                        newestT = it.atT();
                        newestV = it.atV();
                    }
                }
            }
        }
        synchronized (s) {
            if (s.storedNewestKnown) return;
            if (newestT > s.lastT) {
                // the open chunk (if any) is older: the next in-order sample still appends to it
                s.lastT = newestT;
                s.lastV = newestV;
            }
            s.storedMaxT = Math.max(s.storedMaxT, newestT);
            s.storedNewestKnown = true;
        }
    }

    private static List<Matcher> equalityMatchers(Labels labels) {
        List<Matcher> ms = new ArrayList<>(labels.size());
        for (int i = 0; i < labels.size(); i++) ms.add(Matcher.equal(labels.name(i), labels.value(i)));
        return ms;
    }

    /**
     * The persisted value of a series at exactly t, or null. Used only for out-of-order samples the
     * head does not hold: a flushed chunk may have that timestamp, and accepting a different value
     * for it would make reads drop one of the two.
     */
    Double storedValueAt(Labels labels, long t) {
        ChunkIterator it = new ChunkIterator();
        try (StoreReader r = store.reader(t, t)) {
            for (StoredSeries ss : r.select(equalityMatchers(labels), false)) {
                if (!ss.labels().equals(labels)) continue;
                ChunkCursor c = ss.chunks(t, t);
                while (nextReadable(c)) {
                    it.reset(c.array(), c.offset(), c.length());
                    if (it.seek(t) && it.atT() == t) return it.atV();
                }
            }
        }
        return null;
    }

    /**
     * The next chunk the store still has. Ingest's look-ups skip a missing one (the store counted and logged it):
     * refusing every later sample of the series would not bring it back.
     */
    private static boolean nextReadable(ChunkCursor c) {
        while (true) {
            try {
                return c.next();
            } catch (MissingChunkException lost) {
                // the cursor moved past it
            }
        }
    }

    /**
     * Where the retention window ends: the newest sample's time, but never past the wall clock. One sample from the
     * far future (a corrupt timestamp, a client clock off by years) must not make every current sample "too old"
     * and have retention delete all real data; a backfill of old data and a server clock that is behind keep counting
     * from the newest sample as before.
     */
    public long retentionTime() {
        return Math.min(maxT.get(), System.currentTimeMillis());
    }

    /** Samples older than the retention window behind the newest sample would be deleted at once: refuse them. */
    long minValidTime() {
        long newest = retentionTime();
        long retention = opts.store().retentionMillis();
        if (newest == Long.MIN_VALUE || retention <= 0 || newest < Long.MIN_VALUE + retention) return Long.MIN_VALUE;
        return newest - retention;
    }

    /** Adds an observer of commits (see {@link tally.model.WriteObserver}). */
    public synchronized void observeWrites(tally.model.WriteObserver o) {
        tally.model.WriteObserver[] cur = writeObservers;
        tally.model.WriteObserver[] next = java.util.Arrays.copyOf(cur, cur.length + 1);
        next[cur.length] = o;
        writeObservers = next;
    }

    /** After a commit's samples became visible to queries; {@code minT} is the oldest of them. */
    void written(long minT) {
        for (tally.model.WriteObserver o : writeObservers) o.written(minT);
    }

    /** After retention deleted the samples before {@code t} (the store's, which the head's observers are told of too). */
    public void removedBefore(long t) {
        for (tally.model.WriteObserver o : writeObservers) o.removedBefore(t);
    }

    void observeTime(long t) {
        long cur;
        while (t > (cur = maxT.get()) && !maxT.compareAndSet(cur, t)) {
            // retry
        }
    }

    // ---------------------------------------------------------------- reads

    /**
     * Snapshots of live series matching all matchers with data in [mint, maxt], sorted by labels.
     * Each snapshot is consistent: the sealed chunks and an iterator over the open chunk as they
     * were at this moment.
     */
    public List<HeadSeries> select(List<Matcher> matchers, long mint, long maxt) {
        MemSeries[] candidates = candidates(matchers);
        List<HeadSeries> out = new ArrayList<>();
        for (MemSeries s : candidates) {
            if (!matchesAll(matchers, s.labels)) continue;
            HeadSeries snap = snapshot(s, mint, maxt);
            if (snap != null) out.add(snap);
        }
        out.sort((a, b) -> a.labels().compareTo(b.labels()));
        return out;
    }

    private HeadSeries snapshot(MemSeries s, long mint, long maxt) {
        synchronized (s) {
            if (s.removed || !s.hasDataIn(mint, maxt)) return null;
            boolean hasOoo = s.ooo != null && s.ooo.size() > 0;
            SealedChunk[] sealed;
            if (s.pending.isEmpty() && !hasOoo) {
                sealed = HeadSeries.NO_CHUNKS;
            } else {
                sealed = s.pending.toArray(new SealedChunk[s.pending.size() + (hasOoo ? 1 : 0)]);
                if (hasOoo) sealed[sealed.length - 1] = s.ooo.snapshot();
            }
            ChunkSnapshot open = s.open.numSamples() > 0 ? s.open.snapshot() : null;
            long openMinT = s.open.numSamples() > 0 ? s.open.minT() : Long.MAX_VALUE;
            return HeadSeries.of(s.labels, sealed, open, openMinT, s.lastT);
        }
    }

    /** Label names of live series matching the matchers with data in [mint, maxt]. */
    public Set<String> labelNames(List<Matcher> matchers, long mint, long maxt) {
        Set<String> names = new TreeSet<>();
        if (matchers.isEmpty()) {
            for (String n : postings.names()) if (postings.values(n).stream().anyMatch(v -> anyInRange(postings.get(n, v), mint, maxt))) names.add(n);
            return names;
        }
        for (MemSeries s : candidates(matchers)) {
            if (!matchesAll(matchers, s.labels) || !inRange(s, mint, maxt)) continue;
            for (int i = 0; i < s.labels.size(); i++) names.add(s.labels.name(i));
        }
        return names;
    }

    /** Values of one label over live series matching the matchers with data in [mint, maxt]. */
    public Set<String> labelValues(String name, List<Matcher> matchers, long mint, long maxt) {
        Set<String> values = new TreeSet<>();
        if (matchers.isEmpty()) {
            for (String v : postings.values(name)) if (anyInRange(postings.get(name, v), mint, maxt)) values.add(v);
            return values;
        }
        for (MemSeries s : candidates(matchers)) {
            if (!matchesAll(matchers, s.labels) || !inRange(s, mint, maxt)) continue;
            String v = s.labels.get(name);
            if (v != null) values.add(v);
        }
        return values;
    }

    private static boolean anyInRange(MemSeries[] series, long mint, long maxt) {
        for (MemSeries s : series) if (inRange(s, mint, maxt)) return true;
        return false;
    }

    private static boolean inRange(MemSeries s, long mint, long maxt) {
        synchronized (s) {
            return !s.removed && s.hasDataIn(mint, maxt);
        }
    }

    static boolean matchesAll(List<Matcher> matchers, Labels labels) {
        for (int i = 0, n = matchers.size(); i < n; i++) {
            Matcher m = matchers.get(i);
            if (!m.matchesEverything() && !m.matches(labels)) return false;
        }
        return true;
    }

    /**
     * The smallest candidate set one matcher gives from the postings: an equality or a literal
     * alternation directly, any other matcher that rejects "" by scanning that label's values.
     * Matchers that accept "" can't narrow (series without the label match), so they only filter.
     */
    private MemSeries[] candidates(List<Matcher> matchers) {
        MemSeries[] best = null;
        for (Matcher m : matchers) {
            if (m.matchesEmpty()) continue;
            MemSeries[] c = postingsFor(m);
            if (best == null || c.length < best.length) best = c;
            if (best.length == 0) break;
        }
        return best != null ? best : postings.all();
    }

    private MemSeries[] postingsFor(Matcher m) {
        Set<String> set = m.setMatches();
        if (m.type() == MatchType.EQUAL) return postings.get(m.name(), m.value());
        List<MemSeries[]> parts = new ArrayList<>();
        if (set != null) {
            for (String v : set) parts.add(postings.get(m.name(), v));
        } else {
            for (String v : postings.values(m.name())) if (m.matches(v)) parts.add(postings.get(m.name(), v));
        }
        int total = 0;
        for (MemSeries[] p : parts) total += p.length;
        MemSeries[] out = new MemSeries[total];
        int i = 0;
        for (MemSeries[] p : parts) {
            System.arraycopy(p, 0, out, i, p.length);
            i += p.length;
        }
        // disjoint: a series has one value per label name
        return out;
    }
}
