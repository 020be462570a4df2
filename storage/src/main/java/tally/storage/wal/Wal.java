package tally.storage.wal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The write-ahead log: numbered segment files of CRC-framed records plus at most one checkpoint. File layout in
 * {@link WalFiles}, record layout in {@link RecordFormat}, durability rules in {@code docs/durability.md}.
 */
public final class Wal implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Wal.class.getName());
    /** Records a checkpoint batch holds before it is written out: bounds checkpoint memory. */
    static final int CHECKPOINT_PIECE_RECORDS = 8192;

    private final Path dir;
    private final WalOptions opts;
    private final ReentrantLock lock = new ReentrantLock();
    private final Object checkpointMutex = new Object();

    // guarded by lock
    private final TreeMap<Long, Long> closedSegments = new TreeMap<>(); // seq -> bytes, the open one excluded
    private long checkpointSeq = -1;
    private long checkpointBytes;
    private boolean hadDataAtOpen;
    private boolean replayed;
    private boolean closed;
    private IOException failure;
    private SegmentWriter writer;
    private long syncedSeq = -1;
    private long syncedSize = -1;
    // what readers of the log still need, below the checkpoint: seq -> bytes (only with opts.holds())
    private final TreeMap<Long, Long> heldSegments = new TreeMap<>();
    private final TreeMap<Long, Long> heldCheckpoints = new TreeMap<>();

    private ScheduledExecutorService syncer;

    private Wal(Path dir, WalOptions opts) {
        this.dir = dir;
        this.opts = opts;
    }

    public static Wal open(Path dir, WalOptions opts) throws IOException {
        Files.createDirectories(dir);
        Wal wal = new Wal(dir, opts);
        wal.housekeep();
        if (opts.fsync() == FsyncPolicy.INTERVAL) wal.startSyncer();
        return wal;
    }

    /**
     * Reads the checkpoint (if any), then every segment after it, in order. Call once, before the first write.
     * A torn or corrupt tail (partial record, bad CRC) is truncated away and reported; a corrupt record in the
     * middle ends replay there, later segments are set aside (renamed, not deleted) and it is logged loudly.
     */
    public ReplayStats replay(WalReplayHandler handler) throws IOException {
        lock.lock();
        try {
            ensureUsable();
            if (replayed || writer != null) throw new IllegalStateException("replay() runs once, before any write");
            replayed = true;
            long start = System.nanoTime();
            List<Path> files = new ArrayList<>();
            List<Long> seqs = new ArrayList<>(); // segment seq per file, -1 for checkpoint files
            if (checkpointSeq >= 0) {
                Path cp = WalFiles.checkpoint(dir, checkpointSeq);
                for (long s : WalFiles.segments(cp)) {
                    files.add(WalFiles.segment(cp, s));
                    seqs.add(-1L);
                }
            }
            for (long s : closedSegments.keySet()) {
                files.add(WalFiles.segment(dir, s));
                seqs.add(s);
            }
            SegmentReader reader = new SegmentReader();
            long records = 0, series = 0, samples = 0, cut = 0;
            int read = 0;
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                SegmentReader.Result r = reader.read(file, handler);
                read++;
                records += r.records;
                series += r.series;
                samples += r.samples;
                if (r.clean()) continue;
                cut += r.fileBytes - r.validBytes;
                if (i == files.size() - 1 && !r.goodRecordAfterProblem) {
                    LOG.log(Level.WARNING, "WAL {0}: torn tail ({1}); truncating {2} bytes at offset {3}",
                            file, r.problem, r.fileBytes - r.validBytes, r.validBytes);
                    truncate(file, r.validBytes);
                } else {
                    cut += setAsideAfterCorruption(file, r, files.subList(i + 1, files.size()),
                            seqs.subList(i + 1, seqs.size()));
                }
                if (seqs.get(i) >= 0) closedSegments.put(seqs.get(i), r.validBytes);
                else checkpointBytes = WalFiles.directoryBytes(WalFiles.checkpoint(dir, checkpointSeq));
                break;
            }
            // the writer starts at the first write: an open/replay/close cycle leaves no empty segment behind
            long millis = (System.nanoTime() - start) / 1_000_000;
            LOG.log(Level.INFO, "WAL {0}: replayed {1} records ({2} series, {3} samples) from {4} files in {5} ms",
                    dir, records, series, samples, read, millis);
            return new ReplayStats(records, series, samples, cut, read, millis);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Thread-safe. Appends the whole batch; when it returns the bytes are in the OS (they survive SIGKILL of this
     * process); fsync per policy (ALWAYS: before returning). Rotates segments at segmentBytes. A write that fails
     * (a full disk) throws, and what it left half written is cut away, so the next write tries afresh: writes work
     * again once space returns. Only when that cut fails too does the WAL refuse further writes (reopen it; replay
     * repairs whatever was half written).
     */
    public void write(WalBatch batch) throws IOException {
        if (batch.isEmpty()) return;
        lock.lock();
        try {
            SegmentWriter w = writerForAppend();
            long startSeq = w.seq(), startSize = w.size();
            try {
                w.append(batch);
                if (opts.fsync() == FsyncPolicy.ALWAYS) {
                    w.force();
                    w.syncDirectoryIfDirty();
                }
            } catch (IOException | RuntimeException e) {
                try {
                    w.discardFailedAppend(startSeq, startSize);
                    LOG.log(Level.WARNING, "WAL " + dir + ": write failed and was discarded; the batch is not acknowledged", e);
                } catch (IOException | RuntimeException cut) {
                    e.addSuppressed(cut);
                    failure = e instanceof IOException io ? io : new IOException(e);
                }
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts a new segment, streams the live state produced by the callback into a new checkpoint (the callback
     * calls series()/sample() on the batch it is given; it is written out every {@value #CHECKPOINT_PIECE_RECORDS}
     * records), makes the checkpoint durable (temp dir, fsync, atomic rename), then deletes all segments older
     * than the new one and the previous checkpoint. Safe to call while other threads write(). A crash at any point
     * leaves a replayable WAL.
     *
     * <p>Contract: the state the callback emits must contain every batch that reached the WAL before this call
     * started its new segment, i.e. apply a batch to the in-memory state before (or atomically with) calling
     * {@link #write} for it. It must also emit series() for every series whose samples may still arrive later.
     */
    public void checkpoint(Consumer<WalBatch> liveState) throws IOException {
        checkpoint(liveState, () -> { });
    }

    /** Runs after a checkpoint's state is written and before it replaces the segments it covers. */
    @FunctionalInterface
    public interface BeforeCommit {
        void run() throws IOException;
    }

    /**
     * As {@link #checkpoint(Consumer)}, with {@code beforeCommit} run once the state is written and fsynced and
     * before the checkpoint is renamed in (the head makes the store durable there, for everything it moved out of
     * the head while the state was written). If it throws, the checkpoint is abandoned and nothing is deleted.
     */
    public void checkpoint(Consumer<WalBatch> liveState, BeforeCommit beforeCommit) throws IOException {
        synchronized (checkpointMutex) {
            long seq;
            lock.lock();
            try {
                SegmentWriter w = writerForAppend();
                seq = w.rotate();
                if (opts.fsync() == FsyncPolicy.ALWAYS) w.syncDirectoryIfDirty();
            } finally {
                lock.unlock();
            }
            Path tmp = WalFiles.checkpointTmp(dir, seq);
            Path target = WalFiles.checkpoint(dir, seq);
            boolean renamed = false;
            try {
                WalFiles.deleteRecursively(tmp);
                Files.createDirectories(tmp);
                writeCheckpoint(tmp, liveState);
                WalFiles.syncDirectory(tmp);
                beforeCommit.run();
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                renamed = true;
                WalFiles.syncDirectory(dir);
            } finally {
                if (!renamed) deleteQuietly(tmp);
            }
            dropStateBefore(seq, WalFiles.directoryBytes(target));
        }
    }

    /** Bytes of the checkpoint and all segments on disk. */
    public long sizeBytes() {
        lock.lock();
        try {
            long total = checkpointBytes + (writer != null ? writer.size() : 0);
            for (long b : closedSegments.values()) total += b;
            return total;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes kept below the checkpoint for readers of the log ({@link WalHolds}); not part of {@link #sizeBytes()}. */
    public long heldBytes() {
        lock.lock();
        try {
            return heldBytesFrom(Long.MIN_VALUE);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The end of what was written completely: readers of the log read up to here and no further. A write that
     * fails is cut back under the lock, so this never points into bytes that may still be discarded.
     */
    public WalPosition committed() {
        lock.lock();
        try {
            if (writer != null) return new WalPosition(writer.seq(), writer.size());
            if (!closedSegments.isEmpty()) return new WalPosition(closedSegments.lastKey(), closedSegments.lastEntry().getValue());
            return new WalPosition(Math.max(checkpointSeq, 0), 0);
        } finally {
            lock.unlock();
        }
    }

    /** The WAL's directory: readers ({@link WalTailer}) list and read its files themselves. */
    public Path directory() { return dir; }

    /** Segment files of the live WAL (checkpoint files not counted). */
    public int segmentCount() {
        lock.lock();
        try {
            return closedSegments.size() + (writer != null ? 1 : 0);
        } finally {
            lock.unlock();
        }
    }

    /** Fsyncs and closes. Idempotent. */
    @Override
    public void close() throws IOException {
        ScheduledExecutorService s;
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            s = syncer;
            if (writer != null) writer.close();
            WalFiles.syncDirectory(dir);
        } finally {
            lock.unlock();
        }
        if (s != null) s.shutdownNow();
    }

    /** Forces the open segment if anything was written since the last time (the INTERVAL policy's tick). */
    void syncNow() throws IOException {
        FileChannel ch;
        boolean directoryDirty;
        lock.lock();
        try {
            if (closed || failure != null || writer == null) return;
            directoryDirty = writer.takeDirectoryDirty();
            if (writer.seq() == syncedSeq && writer.size() == syncedSize && !directoryDirty) return;
            syncedSeq = writer.seq();
            syncedSize = writer.size();
            ch = writer.channel();
        } finally {
            lock.unlock();
        }
        try {
            ch.force(false); // outside the lock: writers keep appending while the disk catches up
        } catch (ClosedChannelException e) {
            // rotated or closed meanwhile; both force the segment before closing it
        }
        if (directoryDirty) WalFiles.syncDirectory(dir);
    }

    // ---- internals ----

    /** Removes leftovers of interrupted checkpoints and state a newer checkpoint already covers. */
    private void housekeep() throws IOException {
        for (Path tmp : WalFiles.checkpointTmps(dir)) {
            LOG.log(Level.INFO, "WAL {0}: removing unfinished checkpoint {1}", dir, tmp.getFileName());
            WalFiles.deleteRecursively(tmp);
        }
        List<Long> checkpoints = WalFiles.checkpoints(dir);
        if (!checkpoints.isEmpty()) {
            checkpointSeq = checkpoints.get(checkpoints.size() - 1);
            for (long old : checkpoints) {
                if (old == checkpointSeq) continue;
                if (opts.holds() != null) heldCheckpoints.put(old, WalFiles.directoryBytes(WalFiles.checkpoint(dir, old)));
                else WalFiles.deleteRecursively(WalFiles.checkpoint(dir, old));
            }
            checkpointBytes = WalFiles.directoryBytes(WalFiles.checkpoint(dir, checkpointSeq));
        }
        for (long seq : WalFiles.segments(dir)) {
            Path p = WalFiles.segment(dir, seq);
            if (seq >= checkpointSeq) closedSegments.put(seq, Files.size(p));
            else if (opts.holds() != null) heldSegments.put(seq, Files.size(p)); // replay skips it; a reader may not
            else Files.delete(p); // the checkpoint was renamed in before this was deleted
        }
        hadDataAtOpen = checkpointSeq >= 0 || !closedSegments.isEmpty();
        deleteAll(pruneHeld());
    }

    private SegmentWriter writerForAppend() throws IOException {
        ensureUsable();
        if (writer == null) {
            if (!replayed && hadDataAtOpen) {
                throw new IllegalStateException("WAL " + dir + " holds data: call replay() before writing");
            }
            startWriter();
        }
        return writer;
    }

    private void ensureUsable() throws IOException {
        if (closed) throw new IOException("WAL " + dir + " is closed");
        if (failure != null) throw new IOException("WAL " + dir + " failed earlier; reopen it", failure);
    }

    /** Opens a fresh segment after the last one; appending to an old segment would risk its repaired tail. */
    private void startWriter() throws IOException {
        long next = closedSegments.isEmpty() ? Math.max(checkpointSeq, 0) : closedSegments.lastKey() + 1;
        writer = new SegmentWriter(dir, next, opts.segmentBytes(), opts.fsync() != FsyncPolicy.NEVER,
                closedSegments::put);
    }

    private void writeCheckpoint(Path tmp, Consumer<WalBatch> liveState) throws IOException {
        try (SegmentWriter out = new SegmentWriter(tmp, 0, opts.segmentBytes(), true, null)) {
            WalBatch piece = new WalBatch(out::append, CHECKPOINT_PIECE_RECORDS);
            try {
                liveState.accept(piece);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            out.append(piece);
        } // close() forces the last file; rotation forced the others
    }

    private void dropStateBefore(long seq, long newCheckpointBytes) throws IOException {
        List<Path> stale = new ArrayList<>();
        lock.lock();
        try {
            long oldCheckpoint = checkpointSeq;
            long oldCheckpointBytes = checkpointBytes;
            checkpointSeq = seq;
            checkpointBytes = newCheckpointBytes;
            Map<Long, Long> head = closedSegments.headMap(seq);
            if (opts.holds() != null) {
                heldSegments.putAll(head);
                if (oldCheckpoint >= 0 && oldCheckpoint != seq) heldCheckpoints.put(oldCheckpoint, oldCheckpointBytes);
                stale.addAll(pruneHeld());
            } else {
                for (long s : head.keySet()) stale.add(WalFiles.segment(dir, s));
                if (oldCheckpoint >= 0 && oldCheckpoint != seq) stale.add(WalFiles.checkpoint(dir, oldCheckpoint));
            }
            head.clear();
        } finally {
            lock.unlock();
        }
        deleteAll(stale);
    }

    /** Drops what readers' holds no longer need, and past the cap the oldest kept span. Runs under the lock. */
    public void releaseHeld() throws IOException {
        List<Path> stale;
        lock.lock();
        try {
            stale = pruneHeld();
        } finally {
            lock.unlock();
        }
        deleteAll(stale);
    }

    /**
     * Which kept files to delete now (the caller deletes them, outside the lock). A reader at segment S needs the
     * newest checkpoint at or before S (it names the series alive there) and every segment from that checkpoint on,
     * so what is kept starts at that checkpoint. Past the cap, whole spans from one checkpoint to the next go.
     */
    private List<Path> pruneHeld() {
        List<Path> stale = new ArrayList<>();
        WalHolds holds = opts.holds();
        if (holds == null || (heldSegments.isEmpty() && heldCheckpoints.isEmpty())) return stale;
        long low = holds.lowest();
        long keepFrom;
        if (low >= checkpointSeq) {
            keepFrom = checkpointSeq;
        } else {
            Long cp = heldCheckpoints.floorKey(low);
            keepFrom = cp != null ? cp : (heldSegments.isEmpty() ? checkpointSeq : heldSegments.firstKey());
        }
        long cap = holds.capBytes();
        while (keepFrom < checkpointSeq && heldBytesFrom(keepFrom) > cap) {
            Long next = heldCheckpoints.higherKey(keepFrom);
            long newFrom = next != null ? next : checkpointSeq;
            long lostSegments = heldSegments.subMap(keepFrom, newFrom).size();
            LOG.log(Level.WARNING, "WAL {0}: segments kept for remote-write readers pass the cap of {1} bytes; deleting "
                    + "segments {2} to {3} that a lagging reader still needed", dir, cap, keepFrom, newFrom - 1);
            holds.dropped(newFrom, lostSegments);
            keepFrom = newFrom;
        }
        Map<Long, Long> segs = heldSegments.headMap(keepFrom);
        for (long s : segs.keySet()) stale.add(WalFiles.segment(dir, s));
        segs.clear();
        Map<Long, Long> cps = heldCheckpoints.headMap(keepFrom);
        for (long c : cps.keySet()) stale.add(WalFiles.checkpoint(dir, c));
        cps.clear();
        if (keepFrom >= checkpointSeq) {
            for (long c : heldCheckpoints.keySet()) stale.add(WalFiles.checkpoint(dir, c));
            heldCheckpoints.clear();
        }
        return stale;
    }

    private long heldBytesFrom(long from) {
        long total = 0;
        for (long b : heldSegments.tailMap(from).values()) total += b;
        for (long b : heldCheckpoints.tailMap(from).values()) total += b;
        return total;
    }

    private static void deleteAll(List<Path> paths) throws IOException {
        for (Path p : paths) {
            if (Files.isDirectory(p)) WalFiles.deleteRecursively(p);
            else Files.deleteIfExists(p);
        }
    }

    /**
     * A record in the middle is bad (in an earlier file, or followed by good records): keep its file's good
     * prefix, move the rest of that file and every later file aside. Returns the bytes of later files moved aside.
     */
    private long setAsideAfterCorruption(Path file, SegmentReader.Result r, List<Path> later, List<Long> laterSeqs)
            throws IOException {
        long millis = System.currentTimeMillis();
        Path tail = file.resolveSibling(file.getFileName() + ".tail.corrupt-" + millis);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(tail, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long p = r.validBytes;
            while (p < r.fileBytes) p += in.transferTo(p, r.fileBytes - p, out);
            out.force(true);
        }
        truncate(file, r.validBytes);
        long moved = 0;
        List<String> names = new ArrayList<>();
        for (int j = 0; j < later.size(); j++) {
            Path p = later.get(j);
            moved += Files.size(p);
            names.add(WalFiles.setAside(p, millis).getFileName().toString());
            if (laterSeqs.get(j) >= 0) closedSegments.remove(laterSeqs.get(j));
        }
        WalFiles.syncDirectory(file.getParent());
        if (!file.getParent().equals(dir)) WalFiles.syncDirectory(dir);
        LOG.log(Level.ERROR, "WAL {0}: CORRUPT RECORD IN THE MIDDLE OF THE LOG ({1}) in {2}. Replay stopped there; "
                + "data after it is NOT replayed. Kept for inspection: {3} and {4}",
                dir, r.problem, file, tail.getFileName(), names);
        return moved;
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size < RecordFormat.SEGMENT_HEADER_BYTES ? 0 : size);
            ch.force(true);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            WalFiles.deleteRecursively(p);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "WAL: could not remove " + p + " (removed at next open)", e);
        }
    }

    private void startSyncer() {
        syncer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tally-wal-fsync");
            t.setDaemon(true);
            return t;
        });
        long every = opts.fsyncIntervalMs();
        syncer.scheduleWithFixedDelay(() -> {
            try {
                syncNow();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.ERROR, "WAL " + dir + ": periodic fsync failed", e);
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }
}
