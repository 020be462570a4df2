package tally.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import tally.model.Appender;
import tally.model.MetricMetadata;
import tally.model.Overload;
import tally.model.Querier;
import tally.model.Storage;
import tally.storage.head.Head;
import tally.storage.head.HeadFlusher;
import tally.storage.head.HeadReplayer;
import tally.storage.query.TallyQuerier;
import tally.storage.store.ChunkStore;
import tally.storage.store.StoreStats;
import tally.storage.wal.ReplayStats;
import tally.storage.wal.Wal;

/**
 * The storage engine as one object: WAL + head for recent samples, Chronicle Map partitions for
 * sealed chunks, a background flusher moving chunks from one to the other, and retention.
 *
 * <pre>
 *   dir/lock            held while open (a second process on the same dir fails fast)
 *   dir/wal/            write-ahead log segments and checkpoints
 *   dir/chunks/         the chunk store: one folder of Chronicle Maps per time partition
 *   dir/metadata.tsv    metric metadata
 *   dir/head-max-time   the head's newest sample time at the last flush (out-of-order window, retention)
 * </pre>
 */
public final class TallyStorage implements Storage, tally.model.WriteObservable {
    private static final System.Logger LOG = System.getLogger(TallyStorage.class.getName());

    private final StorageOptions opts;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ChunkStore store;
    private final Wal wal;
    private final Head head;
    private final HeadFlusher flusher;
    private final MetadataFile metadata;
    private final ReplayStats replayStats;
    private final long openMillis;
    private final HeapWatch heapWatch;
    /** Retires idle series, in step with the data. */
    private final StorageMaintenance retirer;
    /** Flushes and checkpoints, applies retention and seals finished days. */
    private final StorageMaintenance maintenance;
    private volatile long lastFlushMillis;
    /** When idle series were last retired because the head was large (rate-limits such passes). */
    private volatile long lastCrowdedRetireMillis;
    private long lastRetentionMillis;
    private long lastRetentionDataT = Long.MIN_VALUE;
    private volatile boolean closed;

    private TallyStorage(StorageOptions opts) throws IOException {
        long started = System.nanoTime();
        this.opts = opts;
        System.setProperty("chronicle.analytics.disable", "true");
        initChronicle();
        Files.createDirectories(opts.dir());
        // what to release, newest first, when opening fails part-way: the lock above all, or the next open in this
        // JVM finds the directory in use
        Deque<Undo> opened = new ArrayDeque<>();
        try {
            lockChannel = FileChannel.open(opts.dir().resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            opened.push(new Undo("closing the lock file", lockChannel::close));
            lock = lockDirectory(lockChannel, opts.dir());
            opened.push(new Undo("releasing the directory lock", lock::release));
            MemoryBudget memory = opts.memory();
            store = ChunkStore.open(opts.dir().resolve("chunks"),
                    opts.store().withHeapBlocks(memory.heapBlockBytes(), memory.heapBlocksBytes()).withQuerySeries(memory.querySeries()));
            // not marked clean: the next open recovers the maps, as after a crash
            opened.push(new Undo("closing the chunk store", () -> store.close(false)));
            wal = Wal.open(opts.dir().resolve("wal"), opts.wal());
            opened.push(new Undo("closing the WAL", wal::close));
            head = new Head(opts, store, wal);
            flusher = new HeadFlusher(head);
            HeadReplayer replayer = new HeadReplayer(head, flusher);
            replayStats = replayer.replay();
            metadata = MetadataFile.load(opts.dir().resolve("metadata.tsv"));
            // persist what replay sealed and start from a compact WAL
            flusher.flush(false);
            replayer.dropAliases();
            lastFlushMillis = System.currentTimeMillis();
            openMillis = (System.nanoTime() - started) / 1_000_000;
            heapWatch = new HeapWatch(memory.heapPressureFraction());
            opened.push(new Undo("closing the heap watch", heapWatch::close));
            retirer = new StorageMaintenance("tally-storage-retire", heapWatch::recheck)
                    .add("retire", this::retireDue, this::retireIdle);
            maintenance = new StorageMaintenance("tally-storage-maintenance", () -> { })
                    .add("flush", this::flushDue, this::flush)
                    .add("retention", this::retentionDue, this::enforceRetention);
        } catch (Throwable e) {
            ReleaseSteps steps = new ReleaseSteps("opening storage in " + opts.dir() + " failed; releasing what it opened");
            for (Undo u : opened) steps.run(u.step(), u.action());
            steps.finishInto(e);
            throw e;
        }
        head.onFlushWork(retirer::wake);
        retirer.start();
        maintenance.start();
    }

    /** A release step of an open that failed part-way. */
    private record Undo(String step, ReleaseSteps.Step action) {}

    /** Locks the directory for this storage: one process, and one open storage in this JVM, at a time. */
    private static FileLock lockDirectory(FileChannel channel, Path dir) throws IOException {
        FileLock l;
        try {
            l = channel.tryLock();
        } catch (OverlappingFileLockException e) { // this JVM holds it: file locks are per process
            throw new IOException("storage directory " + dir + " is already open in this process", e);
        }
        if (l == null) throw new IOException("storage directory " + dir + " is in use by another process");
        return l;
    }

    /**
     * Chronicle registers a JVM shutdown hook when its resource releaser class initialises; if that
     * first happens inside our own shutdown hook (the first chunk is written at close), it fails with
     * "Shutdown in progress". Initialise it now.
     */
    private static void initChronicle() {
        try {
            Class.forName("net.openhft.chronicle.core.io.BackgroundResourceReleaser", true, TallyStorage.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Chronicle Map is not on the class path", e);
        }
    }

    /** Opens (creating when needed) the storage in {@code opts.dir()}, replaying the WAL. */
    public static TallyStorage open(StorageOptions opts) throws IOException {
        return new TallyStorage(opts);
    }

    /**
     * A throw-away database in {@code dir} for small, short-lived data (rule unit tests): everything stays in the
     * head, whatever time span it covers, and closing it discards the data and deletes the directory instead of
     * writing chunks to day partitions nobody will read.
     */
    public static Storage scratch(Path dir) throws IOException {
        TallyStorage s = open(StorageOptions.defaults(dir).withFlushIntervalMillis(Long.MAX_VALUE / 4)
                .withIdleSeriesMillis(Long.MAX_VALUE / 4));
        return new ScratchStorage(s, dir);
    }

    /** Stops the background work and releases the files without persisting anything: for {@link #scratch} only. */
    void discard() throws IOException {
        shutDown(false);
    }

    public static TallyStorage open(Path dir) throws IOException {
        return open(StorageOptions.defaults(dir));
    }

    @Override
    public Appender appender() {
        return head.appender();
    }

    /** The end of the WAL's committed records: where a new reader of the log starts. */
    public tally.storage.wal.WalPosition walCommitted() {
        return wal.committed();
    }

    /** A reader of the WAL from {@code start} on (remote-write out); see {@link tally.storage.wal.WalTailer}. */
    public tally.storage.wal.WalTailer tailWal(tally.storage.wal.WalPosition start, tally.storage.wal.WalTailer.Handler handler) {
        return new tally.storage.wal.WalTailer(wal, start, handler);
    }

    /** The WAL's reader holds (remote-write targets), or null when it was opened without. */
    public tally.storage.wal.WalHolds walHolds() {
        return opts.wal().holds();
    }

    /** Bytes of WAL kept only because a reader of the log still needs them. */
    public long walHeldBytes() {
        return wal.heldBytes();
    }

    @Override
    public Querier querier(long mint, long maxt) {
        return new TallyQuerier(head, store, mint, maxt);
    }

    @Override
    public void putMetadata(String metric, MetricMetadata md) {
        metadata.put(metric, md);
    }

    @Override
    public Map<String, List<MetricMetadata>> metadata() {
        return metadata.snapshot();
    }

    /** Moves sealed chunks to the store and checkpoints the WAL now. */
    public void flush() {
        try {
            flusher.flush(false);
            metadata.save();
            lastFlushMillis = System.currentTimeMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes the day partitions older than the retention window behind the newest sample (never measured from past
     * the wall clock: {@link tally.storage.head.Head#retentionTime}), and seals finished days into their compact
     * form. Runs every minute on its own.
     */
    public void enforceRetention() {
        long newest = head.maxTime();
        if (newest == Long.MIN_VALUE) return;
        long gone = store.applyRetention(newest, head.retentionTime());
        if (gone != Long.MIN_VALUE) head.removedBefore(gone);
    }

    @Override
    public void observeWrites(tally.model.WriteObserver observer) {
        head.observeWrites(observer);
    }

    /**
     * Why ingest should wait, or null. The head's series and pending chunks, the heap after garbage collection and
     * the WAL not yet checkpointed each have a budget (docs/configuration.md, "Memory"); past one, senders are told
     * to retry (they do: remote-write and OTLP retry 503) while the flusher catches up.
     */
    @Override
    public Overload overload() {
        MemoryBudget m = opts.memory();
        int series = head.numSeries();
        if (series >= m.headMaxSeries()) {
            retirer.wake();
            return new Overload("the head holds " + series + " series, its budget for this heap (" + m.headMaxSeries()
                    + "); idle series are being moved to the store", 1);
        }
        long pending = head.pendingBytes();
        if (pending >= 4 * m.headPendingBytes()) {
            retirer.wake();
            return new Overload("sealed chunks waiting for the store take " + (pending >> 20) + " MiB; they are being written", 1);
        }
        if (heapWatch.pressed()) {
            return new Overload(String.format("the heap is %.0f%% full after garbage collection", 100 * heapWatch.lastFraction()), 5);
        }
        long walBytes = wal.sizeBytes();
        if (walBytes >= 4 * opts.flushWalBytes()) {
            return new Overload("the WAL holds " + (walBytes >> 20) + " MiB not yet checkpointed (flushes are behind or failing)", 10);
        }
        return null;
    }

    public StorageStats stats() {
        StoreStats s = store.stats();
        return new StorageStats(head.numSeries(), head.stats(), wal.sizeBytes(), wal.segmentCount(), s,
                replayStats, openMillis, head.pendingBytes(), opts.memory(), heapWatch.lastFraction(), taskStats());
    }

    private List<TaskStats> taskStats() {
        List<TaskStats> all = new java.util.ArrayList<>(retirer.stats());
        all.addAll(maintenance.stats());
        return all;
    }

    /** Flush every interval, or sooner once the WAL has grown past its budget (bounds replay and disk). */
    private boolean flushDue() {
        return System.currentTimeMillis() - lastFlushMillis >= opts.flushIntervalMillis() || wal.sizeBytes() >= opts.flushWalBytes();
    }

    /**
     * Retire idle series once data time passed the head's next retirement point (a quarter of the idle time after
     * the last one: a backfill is retired in step with its data), when sealed chunks pass their budget, or, at most
     * once a second, when the head holds half of its series budget.
     */
    private boolean retireDue() {
        MemoryBudget m = opts.memory();
        if (head.maxTime() >= head.nextRetireTime() || head.pendingBytes() >= m.headPendingBytes()) return true;
        long now = System.currentTimeMillis();
        if (head.numSeries() >= m.headMaxSeries() / 2 && now - lastCrowdedRetireMillis >= 1000) {
            lastCrowdedRetireMillis = now;
            return true;
        }
        return false;
    }

    private void retireIdle() {
        flusher.retireIdle();
    }

    /**
     * Retention, and sealing of finished partitions into their compact form: every minute, and after every hour
     * of data time, so a backfill's finished days are sealed while it runs. Measured from the newest sample, as
     * Prometheus does, not from the wall clock: a backfill of old data is kept, a wrong clock deletes nothing.
     */
    private boolean retentionDue() {
        long now = System.currentTimeMillis();
        long dataT = head.maxTime();
        if (now - lastRetentionMillis >= 60_000 || (dataT != Long.MIN_VALUE
                && (lastRetentionDataT == Long.MIN_VALUE || dataT - lastRetentionDataT >= 3_600_000L))) {
            lastRetentionMillis = now;
            lastRetentionDataT = dataT;
            return true;
        }
        return false;
    }

    /**
     * Persists sealed chunks, checkpoints the WAL to what only the head holds, and marks a clean shutdown. Every step
     * runs even when one before it failed or the thread is interrupted (the flag is kept and restored at the end); the
     * first failure is thrown afterwards, and the shutdown is then not marked clean.
     */
    @Override
    public void close() {
        try {
            shutDown(true);
        } catch (IOException e) {
            throw new UncheckedIOException("closing storage failed", e);
        }
    }

    /** Stops the background work and releases the files; {@code persist}: write what the head holds first. */
    private synchronized void shutDown(boolean persist) throws IOException {
        if (closed) return;
        closed = true;
        ReleaseSteps steps = new ReleaseSteps("closing storage in " + opts.dir());
        steps.run("stopping the retire lane", () -> retirer.stop(30_000));
        steps.run("stopping the maintenance lane", () -> maintenance.stop(30_000));
        steps.run("closing the heap watch", heapWatch::close);
        if (persist) {
            // Persist what is already sealed and checkpoint the open chunks into the WAL, as Prometheus
            // does: sealing every open chunk here would make shutdown write (and maybe roll over) store
            // maps for minutes, past any service manager's stop timeout.
            steps.run("flushing the head", () -> flusher.flush(false));
            steps.run("saving metadata", metadata::save);
        }
        steps.run("closing the WAL", wal::close);
        // the marker tells the next open that the maps need no recovery: after any failure, let it check them
        boolean clean = !steps.failed();
        steps.run("closing the chunk store", () -> store.close(clean));
        steps.run("releasing the directory lock", () -> {
            if (lock.isValid()) lock.release();
        });
        steps.run("closing the lock file", lockChannel::close);
        steps.finish();
    }
}
