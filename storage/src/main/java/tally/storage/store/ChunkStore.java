package tally.storage.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import tally.model.Labels;

/**
 * Persisted sealed chunks and their series index, one folder of Chronicle Maps per time partition.
 * See docs/storage-layout.md for the layout, the sizing and rollover rules and the durability promise.
 */
public final class ChunkStore implements AutoCloseable {
    static final String CLEAN_MARKER = "CLEAN_SHUTDOWN";
    /** A partition keeps taking writes this long after it ends (late sealed chunks) before it is sealed. */
    static final long SEAL_GRACE_MILLIS = 3_600_000L;

    private static final System.Logger LOG = System.getLogger(ChunkStore.class.getName());

    static {
        ChronicleMaps.disableAnalytics();
    }

    private final Path dir;
    private final StoreOptions opts;
    private final ConcurrentSkipListMap<Long, Partition> partitions = new ConcurrentSkipListMap<>();
    /** Readers pin partitions under the read lock; retention unlinks them under the write lock. */
    private final ReentrantReadWriteLock pinLock = new ReentrantReadWriteLock();
    /** Seals blocks in the background; a failed seal is retried later on the same thread, backing off. */
    private final java.util.concurrent.ScheduledThreadPoolExecutor sealer;
    /** Creates generations ahead of rollovers; separate from sealing so a long seal cannot delay it. */
    private final ExecutorService preparer;
    private volatile boolean closed;
    /** Estimated heap bytes of every heap block not yet sealed (bounded by StoreOptions.heapBlocksBytes). */
    private final java.util.concurrent.atomic.AtomicLong heapTotal = new java.util.concurrent.atomic.AtomicLong();
    /** Serialises writers that seal heap blocks themselves because the heap budget is spent. */
    private final Object relieving = new Object();
    private final java.util.concurrent.atomic.AtomicLong sealFailures = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong heapBlocksSpilled = new java.util.concurrent.atomic.AtomicLong();
    private volatile String lastSealError;
    /** Chunk reads that found the chunk missing from its block (damaged files), and what was logged of them. */
    private final java.util.concurrent.atomic.AtomicLong missingChunks = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.Set<String> missingLogged = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final QuerySeriesBudget queryBudget;
    private final java.util.concurrent.atomic.AtomicLong preparedPartition = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);

    private ChunkStore(Path dir, StoreOptions opts) {
        this.dir = dir;
        this.opts = opts;
        this.queryBudget = new QuerySeriesBudget(opts.querySeries());
        this.sealer = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "tally-store-seal");
            t.setDaemon(true);
            return t;
        });
        // close() waits for queued seals, not for retries scheduled minutes ahead: the next open seals those blocks
        sealer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.preparer = daemonExecutor("tally-store-prepare");
    }

    private static ExecutorService daemonExecutor(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Opens or creates the store in dir. If the clean-shutdown marker is missing, opens maps with recoverPersistedTo. */
    public static ChunkStore open(Path dir, StoreOptions opts) throws IOException {
        ChronicleMaps.disableAnalytics();
        Files.createDirectories(dir);
        ChunkStore store = new ChunkStore(dir, opts);
        Path marker = dir.resolve(CLEAN_MARKER);
        boolean recover = !Files.exists(marker);
        // from here on, a crash must look unclean to the next open
        Files.deleteIfExists(marker);
        List<Path> dirs;
        try (Stream<Path> s = Files.list(dir)) {
            dirs = s.filter(Files::isDirectory).toList();
        }
        try {
            for (Path p : dirs) {
                Long start = Partition.parseStart(p.getFileName().toString());
                if (start == null) continue;
                Partition part = new Partition(start, start + opts.partitionMillis(), p, store.preparer, opts, store.heapTotal);
                store.partitions.put(start, part);
                part.openExisting(recover, store::sealLater);
            }
        } catch (IOException | RuntimeException e) {
            store.closeMaps();
            store.sealer.shutdownNow();
            store.preparer.shutdownNow();
            throw e;
        }
        return store;
    }

    public long partitionStart(long t) {
        return Math.floorDiv(t, opts.partitionMillis()) * opts.partitionMillis();
    }

    public long partitionEnd(long t) {
        return partitionStart(t) + opts.partitionMillis();
    }

    /**
     * Persists one sealed chunk of a series. [minT, maxT] lies within one partition (caller guarantees).
     * Thread-safe. On return the chunk survives SIGKILL (it is in the shared memory map). A full map never
     * throws to the caller: the partition rolls over to a new, bigger generation. Writing the same
     * chunk bytes for the same (series, minT, maxT) again replaces the chunk, so replaying a WAL is
     * idempotent; different bytes with the same range are kept as another chunk (series may have
     * overlapping chunks, e.g. out-of-order ones), never replace one.
     */
    public void write(long seriesId, Labels labels, byte[] chunk, long minT, long maxT) {
        if (closed) throw new IllegalStateException("store closed");
        long start = partitionStart(minT);
        for (int attempt = 0; ; attempt++) {
            Partition p = partitionFor(start);
            Generation g;
            try {
                g = p.writable(() -> sizingFor(start), this::sealLater, isPastDay(p));
            } catch (PartitionDeletedException deletedMeanwhile) {
                continue; // retention removed it between lookup and write: a fresh one is created
            }
            Generation.WriteResult r = g.write(labels, chunk, minT, maxT);
            if (r == Generation.WriteResult.OK) {
                maybePrepareNextPartition(start, minT);
                if (heapTotal.get() > opts.heapBlocksBytes()) relieveHeap();
                return;
            }
            if (attempt > 1000) throw new IllegalStateException("cannot write chunk to partition " + p.dir);
        }
    }

    /**
     * Once writes reach the last quarter of the newest partition, creates the next partition's first block
     * in the background, so the first write after the boundary does not wait for map creation.
     */
    private void maybePrepareNextPartition(long start, long minT) {
        long next = start + opts.partitionMillis();
        if (minT - start < opts.partitionMillis() / 4 * 3 || preparedPartition.get() >= next) return;
        Map.Entry<Long, Partition> newest = partitions.lastEntry();
        if (newest == null || newest.getKey() != start) return;
        long prev = preparedPartition.get();
        if (prev >= next || !preparedPartition.compareAndSet(prev, next)) return;
        try {
            preparer.execute(() -> {
                try {
                    Partition np = partitionFor(next);
                    // a past day's blocks live in the heap until sealed: nothing to create ahead
                    if (!isPastDay(np)) np.writable(() -> sizingFor(next), this::sealLater, false);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "preparing partition " + next + " failed; its first write will", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // store is closing
        }
    }

    private Partition partitionFor(long start) {
        Partition p = partitions.get(start);
        if (p != null && !p.isDeleted()) return p;
        synchronized (partitions) {
            p = partitions.get(start);
            if (p == null || p.isDeleted()) {
                p = new Partition(start, start + opts.partitionMillis(), Partition.dirFor(dir, start), preparer, opts, heapTotal);
                try {
                    Files.createDirectories(p.dir);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                partitions.put(start, p);
            }
            return p;
        }
    }

    /** Whether new blocks of p go to the heap: the day ended, by the wall clock, more than the sealing grace ago. */
    private boolean isPastDay(Partition p) {
        return opts.pastDaysInHeap() && p.end + SEAL_GRACE_MILLIS <= System.currentTimeMillis();
    }

    /** Capacities of a new partition's first block: what the nearest earlier (else later) partition held, plus room. */
    private GenerationMeta sizingFor(long start) {
        Map.Entry<Long, Partition> ref = partitions.lowerEntry(start);
        if (ref == null) ref = partitions.higherEntry(start);
        long chunks = 0, series = 0;
        double chunkValue = 128, seriesValue = 320;
        if (ref != null) {
            double storedSum = 0, seriesSum = 0;
            for (Generation g : ref.getValue().generations()) {
                chunks += g.chunkCount();
                series += g.seriesCount();
                storedSum += g.avgChunkValue() * g.chunkCount();
                seriesSum += g.avgSeriesValue() * g.seriesCount();
            }
            if (chunks > 0) chunkValue = storedSum / chunks;
            if (series > 0) seriesValue = seriesSum / series;
        }
        long chunkEntries = Math.max(opts.initialChunksPerPartition(), chunks + chunks / 4);
        long seriesEntries = Math.max(opts.initialSeriesPerPartition(), series + series / 4);
        return new GenerationMeta(chunkEntries, Math.max(16, chunkValue), seriesEntries, Math.max(16, seriesValue));
    }

    private void sealLater(Generation g) {
        sealLater(g, 0, 0);
    }

    /** Seals g on the sealer thread after delayMillis; a failure is logged, counted and retried, backing off to a minute. */
    private void sealLater(Generation g, int failures, long delayMillis) {
        try {
            sealer.schedule(() -> {
                try {
                    g.seal();
                } catch (Throwable e) {
                    tally.model.Fatal.exitOnOutOfMemory(e);
                    sealFailed(g, e);
                    long backoff = Math.min(60_000L, 1000L << Math.min(6, failures));
                    sealLater(g, failures + 1, backoff);
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the store is closing: the next open seals the block (or replays its samples, for a heap block)
        }
    }

    /**
     * Counts and logs a failed seal. A heap block is then spilled to Chronicle Maps, so that its samples are
     * durable without it and WAL checkpoints go on; a map block stays readable from its maps either way.
     */
    private void sealFailed(Generation g, Throwable e) {
        sealFailures.incrementAndGet();
        lastSealError = g.dir + ": " + e;
        boolean heap = g.inHeap();
        LOG.log(System.Logger.Level.ERROR, "sealing " + g.dir + " failed (" + e + "); "
                + (heap ? "writing it to maps instead, and retrying later" : "it stays readable from its maps; retrying later"), e);
        if (!heap) return;
        try {
            g.spillToMaps();
            heapBlocksSpilled.incrementAndGet();
        } catch (Throwable spill) {
            tally.model.Fatal.exitOnOutOfMemory(spill);
            LOG.log(System.Logger.Level.ERROR, "writing heap block " + g.dir + " to maps failed too; its samples stay in the WAL", spill);
        }
    }

    /**
     * The heap blocks not yet sealed take more than their budget: the writer seals the largest itself (stopping
     * writes to it first) until they take half of it. The flusher is the writer, so ingest slows through the head's
     * own budget rather than the heap filling up. A block that fails to seal is spilled to maps.
     */
    private void relieveHeap() {
        synchronized (relieving) {
            if (heapTotal.get() <= opts.heapBlocksBytes()) return;
            List<Generation> blocks = new ArrayList<>();
            List<Partition> owners = new ArrayList<>();
            for (Partition p : partitions.values()) {
                for (Generation g : p.generations()) {
                    if (g.heapBytes() > 0) {
                        blocks.add(g);
                        owners.add(p);
                    }
                }
            }
            Integer[] order = new Integer[blocks.size()];
            for (int i = 0; i < order.length; i++) order[i] = i;
            java.util.Arrays.sort(order, (a, b) -> Long.compare(blocks.get(b).heapBytes(), blocks.get(a).heapBytes()));
            for (int i : order) {
                if (heapTotal.get() <= opts.heapBlocksBytes() / 2) return;
                Generation g = blocks.get(i);
                owners.get(i).stopWritesTo(g);
                try {
                    g.seal();
                } catch (Throwable e) {
                    tally.model.Fatal.exitOnOutOfMemory(e);
                    sealFailed(g, e);
                    if (!g.isSealed()) sealLater(g, 1, 1000);
                }
            }
        }
    }

    /** A consistent read view of everything written before the call, restricted to [mint, maxt] (inclusive). */
    public StoreReader reader(long mint, long maxt) {
        return reader(mint, maxt, queryBudget.reservation());
    }

    /** As {@link #reader(long, long)}, its selections counted in {@code room}: one query's share of the query budget. */
    public StoreReader reader(long mint, long maxt, QuerySeriesBudget.Reservation room) {
        List<Partition> pinned = new ArrayList<>();
        pinLock.readLock().lock();
        try {
            // partitionStart(mint) would overflow near Long.MIN_VALUE ("from the beginning" reads)
            long from = mint < Long.MIN_VALUE + opts.partitionMillis() ? Long.MIN_VALUE : partitionStart(mint);
            for (Partition p : partitions.subMap(from, true, maxt, true).values()) {
                if (p.end > mint && p.start <= maxt && p.acquire()) pinned.add(p);
            }
        } finally {
            pinLock.readLock().unlock();
        }
        return new ChunkStoreReader(this, pinned, mint, maxt, room);
    }

    /** The series running queries may hold selected at once. */
    public QuerySeriesBudget queryBudget() {
        return queryBudget;
    }

    void release(Partition p) {
        if (p.release()) destroy(p);
    }

    /**
     * Seals partitions ending before nowMs - 1 h, then deletes whole partitions: those ending before
     * nowMs - retentionMillis, then the oldest while the total exceeds retentionBytes (when > 0; the newest
     * partition is never deleted). A partition a reader is using is deleted when its last reader closes.
     */
    public long applyRetention(long nowMs) {
        return applyRetention(nowMs, nowMs);
    }

    /**
     * As {@link #applyRetention(long)}, with sealing measured from {@code sealNowMs} and deletion from
     * {@code retentionNowMs} (TallyStorage keeps the latter from running past the wall clock).
     *
     * @return the end of the newest partition deleted (samples before it are gone), or Long.MIN_VALUE
     */
    public long applyRetention(long sealNowMs, long retentionNowMs) {
        sealPartitionsEndingBefore(sealNowMs - SEAL_GRACE_MILLIS);
        List<Partition> doomed = new ArrayList<>();
        long removedBefore = Long.MIN_VALUE;
        pinLock.writeLock().lock();
        try {
            long cutoff = retentionNowMs - opts.retentionMillis();
            for (Partition p : new ArrayList<>(partitions.values())) {
                if (p.end <= cutoff) {
                    unlink(p, doomed);
                    removedBefore = Math.max(removedBefore, p.end);
                }
            }
            if (opts.retentionBytes() > 0) {
                List<Partition> byAge = new ArrayList<>(partitions.values());
                long total = 0;
                long[] sizes = new long[byAge.size()];
                for (int i = 0; i < byAge.size(); i++) total += sizes[i] = byAge.get(i).diskBytes();
                for (int i = 0; i < byAge.size() - 1 && total > opts.retentionBytes(); i++) {
                    unlink(byAge.get(i), doomed);
                    removedBefore = Math.max(removedBefore, byAge.get(i).end);
                    total -= sizes[i];
                }
            }
        } finally {
            pinLock.writeLock().unlock();
        }
        for (Partition p : doomed) destroy(p);
        return removedBefore;
    }

    private void unlink(Partition p, List<Partition> destroyNow) {
        partitions.remove(p.start, p);
        if (p.markDeleted()) destroyNow.add(p);
    }

    private void destroy(Partition p) {
        try {
            p.destroy();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "deleting partition " + p.dir + " failed", e);
        }
    }

    /**
     * Stops writes to every partition ending at or before t and turns their blocks into compact index files
     * (waits until done). A later write into such a partition opens a new generation.
     */
    public void sealPartitionsEndingBefore(long t) {
        for (Partition p : partitions.headMap(t, true).values()) {
            if (p.end > t) continue;
            Generation g = p.retireCurrent();
            if (g != null) sealLater(g);
            for (Generation old : p.generations()) if (!old.isSealed() && !old.isWritable()) sealLater(old);
        }
        awaitSealing();
    }

    /** Waits until background preparing and sealing queued so far are done (tests use it for stable files). */
    void awaitBackground() {
        try {
            preparer.submit(() -> { }).get();
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
        }
        awaitSealing();
    }

    private void awaitSealing() {
        try {
            sealer.submit(() -> { }).get();
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
        }
    }

    /**
     * fsyncs the maps of blocks still being written. Chronicle Map has no fsync of its own; on Linux an
     * fsync of the file also writes back pages dirtied through its memory map. Call before dropping WAL
     * segments that cover chunks written here, to survive power loss and not only process crashes.
     */
    public void sync() throws IOException {
        for (Partition p : partitions.values()) {
            // a heap block becomes durable by being sealed: stop writes to the current one (a later write opens
            // a new block), then seal every stopped one, including those still queued for the background sealer;
            // one that fails is spilled to maps, and if even that fails, sync fails (the WAL keeps its samples)
            p.retireHeapBlock();
            for (Generation g : p.generations()) {
                if (g.inHeap() && !g.isWritable()) {
                    try {
                        g.seal();
                    } catch (IOException | RuntimeException e) {
                        sealFailed(g, e);
                        if (g.inHeap()) throw new IOException("heap block " + g.dir + " could neither be sealed nor written to maps", e);
                        sealLater(g, 1, 1000);
                    }
                }
                g.sync();
            }
        }
    }

    /**
     * A reader found a chunk of block g missing: counted on every read (tally_storage_missing_chunks_total), logged
     * once per chunk (up to 10,000 of them), naming the series and the block.
     */
    MissingChunkException missingChunk(Generation g, Labels labels, long ref, long minT, long maxT) {
        missingChunks.incrementAndGet();
        String what = "chunk " + ref + " [" + minT + ", " + maxT + "] of series " + labels + " is missing from block " + g.dir;
        if (missingLogged.size() < 10_000 && missingLogged.add(g.dir + "#" + ref)) {
            LOG.log(System.Logger.Level.ERROR, what + " (a damaged file): its samples are lost; queries reading it fail");
        }
        return new MissingChunkException(what + " (a damaged file)");
    }

    public StoreStats stats() {
        int n = 0, open = 0;
        long series = 0, chunks = 0, chunkBytes = 0, indexBytes = 0, diskBytes = 0;
        for (Partition p : partitions.values()) {
            n++;
            for (Generation g : p.generations()) {
                if (!g.isSealed()) open++;
                series += g.seriesCount();
                chunks += g.chunkCount();
                chunkBytes += g.chunkBytes();
                try {
                    indexBytes += g.indexDiskBytes();
                } catch (IOException e) {
                    // a block being sealed may swap files under us: skip it this time
                }
            }
            diskBytes += p.diskBytes();
        }
        return new StoreStats(n, series, chunks, chunkBytes, indexBytes, diskBytes, open, heapTotal.get(),
                sealFailures.get(), heapBlocksSpilled.get(), lastSealError, missingChunks.get());
    }

    /** Closes the maps; marks a clean shutdown when everything reached the disk (see {@link #close(boolean)}). */
    @Override
    public void close() {
        close(true);
    }

    /**
     * Waits for background seals, fsyncs and closes the maps, then writes the clean-shutdown marker, unless the caller
     * says its own shutdown failed ({@code markClean} false), a seal was still running or the fsync failed: without
     * the marker the next open recovers the maps as after a crash, instead of trusting files that may not all have
     * reached the disk. A failed fsync is thrown once the maps are closed. Interrupts do not cut the waits or the
     * I/O short (NIO would close the channels): the flag is kept and restored on return.
     */
    public void close(boolean markClean) {
        if (closed) return;
        closed = true;
        boolean interrupted = Thread.interrupted();
        preparer.shutdown();
        sealer.shutdown();
        boolean settled;
        IOException syncFailure = null;
        try {
            settled = awaitTermination(preparer, TimeUnit.MINUTES.toNanos(1)) & awaitTermination(sealer, TimeUnit.MINUTES.toNanos(10));
            if (Thread.interrupted()) interrupted = true; // interrupted while waiting: not during the I/O below
            if (!settled) LOG.log(System.Logger.Level.ERROR, "background sealing did not finish within 10 minutes; closing anyway");
            try {
                sync();
            } catch (IOException | RuntimeException e) { // the maps are closed whatever happened
                syncFailure = e instanceof IOException io ? io : new IOException(e);
                LOG.log(System.Logger.Level.ERROR, "fsync at close failed; the next open recovers the maps as after a crash", e);
            }
            closeMaps();
            if (markClean && settled && syncFailure == null) writeCleanMarker();
        } finally {
            if (interrupted || Thread.interrupted()) Thread.currentThread().interrupt();
        }
        if (syncFailure != null) throw new UncheckedIOException("fsync at close failed", syncFailure);
    }

    /** Waits for an executor to finish, through interrupts (the flag is set again on return); false on timeout. */
    private static boolean awaitTermination(ExecutorService e, long nanos) {
        long deadline = System.nanoTime() + nanos;
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return e.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException ie) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private void writeCleanMarker() {
        try {
            Path marker = dir.resolve(CLEAN_MARKER);
            Files.write(marker, new byte[0]);
            try (FileChannel ch = FileChannel.open(marker, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write clean-shutdown marker", e);
        }
    }

    private void closeMaps() {
        for (Partition p : partitions.values()) p.closeAll();
    }

    Path dir() { return dir; }
}
