package tally.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import tally.model.Appender;
import tally.model.MetricMetadata;
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
public final class TallyStorage implements Storage {
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
    private final ScheduledExecutorService maintenance;
    private volatile long lastFlushMillis;
    /** The head's newest sample time when idle series were last retired (flush or retireIdle). */
    private volatile long lastRetireDataT = Long.MIN_VALUE;
    private long lastRetentionMillis;
    private long lastRetentionDataT = Long.MIN_VALUE;
    private volatile boolean closed;

    private TallyStorage(StorageOptions opts) throws IOException {
        long started = System.nanoTime();
        this.opts = opts;
        System.setProperty("chronicle.analytics.disable", "true");
        initChronicle();
        Files.createDirectories(opts.dir());
        lockChannel = FileChannel.open(opts.dir().resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        lock = lockChannel.tryLock();
        if (lock == null) {
            lockChannel.close();
            throw new IOException("storage directory " + opts.dir() + " is in use by another process");
        }
        store = ChunkStore.open(opts.dir().resolve("chunks"), opts.store());
        wal = Wal.open(opts.dir().resolve("wal"), opts.wal());
        head = new Head(opts, store, wal);
        flusher = new HeadFlusher(head);
        HeadReplayer replayer = new HeadReplayer(head);
        replayStats = replayer.replay();
        metadata = MetadataFile.load(opts.dir().resolve("metadata.tsv"));
        // persist what replay sealed and start from a compact WAL
        flusher.flush(false);
        replayer.dropAliases();
        lastFlushMillis = System.currentTimeMillis();
        openMillis = (System.nanoTime() - started) / 1_000_000;
        maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tally-storage-maintenance");
            t.setDaemon(true);
            return t;
        });
        maintenance.scheduleWithFixedDelay(this::maintain, 1, 1, TimeUnit.SECONDS);
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

    public static TallyStorage open(Path dir) throws IOException {
        return open(StorageOptions.defaults(dir));
    }

    @Override
    public Appender appender() {
        return head.appender();
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
            long dataT = head.maxTime();
            flusher.flush(false);
            metadata.save();
            lastFlushMillis = System.currentTimeMillis();
            lastRetireDataT = dataT;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes the day partitions older than the retention window behind the newest sample, and seals
     * finished days into their compact form. Runs every minute on its own.
     */
    public void enforceRetention() {
        long newest = head.maxTime();
        if (newest != Long.MIN_VALUE) store.applyRetention(newest);
    }

    public StorageStats stats() {
        StoreStats s = store.stats();
        return new StorageStats(head.numSeries(), head.stats(), wal.sizeBytes(), wal.segmentCount(), s,
                replayStats, openMillis);
    }

    private void maintain() {
        if (closed) return;
        try {
            long now = System.currentTimeMillis();
            long dataT = head.maxTime();
            if (now - lastFlushMillis >= opts.flushIntervalMillis() || wal.sizeBytes() >= opts.flushWalBytes()) {
                flush();
            } else if (dataT != Long.MIN_VALUE && (lastRetireDataT == Long.MIN_VALUE
                    || dataT - lastRetireDataT >= opts.idleSeriesMillis())) {
                // a backfill: an hour of data went by since series were last retired
                flusher.retireIdle();
                lastRetireDataT = dataT;
            }
            // Retention, and sealing of finished partitions into their compact form. Measured from the
            // newest sample, as Prometheus does, not from the wall clock: a backfill of old data is kept,
            // and a clock set wrong does not delete anything.
            // ...every minute, and after every hour of data time, so that a backfill's finished days are
            // sealed into their compact form while it runs, not a minute after each wall-clock check
            if (now - lastRetentionMillis >= 60_000 || (dataT != Long.MIN_VALUE
                    && (lastRetentionDataT == Long.MIN_VALUE || dataT - lastRetentionDataT >= 3_600_000L))) {
                lastRetentionMillis = now;
                lastRetentionDataT = dataT;
                enforceRetention();
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "storage maintenance failed; will retry", e);
        }
    }

    /** Persists sealed chunks, checkpoints the WAL to what only the head holds, and marks a clean shutdown. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        maintenance.shutdown();
        try {
            maintenance.awaitTermination(30, TimeUnit.SECONDS);
            // Persist what is already sealed and checkpoint the open chunks into the WAL, as Prometheus
            // does: sealing every open chunk here would make shutdown write (and maybe roll over) store
            // maps for minutes, past any service manager's stop timeout.
            flusher.flush(false);
            metadata.save();
            wal.close();
            store.close();
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing storage failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
