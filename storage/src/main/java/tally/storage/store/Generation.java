package tally.storage.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import net.openhft.chronicle.map.ChronicleMap;
import tally.model.Labels;
import tally.storage.index.BlockIndex;
import tally.storage.index.CompactIndex;
import tally.storage.index.CompactIndexWriter;
import tally.storage.index.LabelsCodec;
import tally.storage.index.MutableIndex;
import tally.storage.index.MutableSeries;

/**
 * One block of a partition: a chunk map plus its series index. While written, the index lives in memory
 * and in a series map (for crash recovery); once sealed it is a compact file and the series map is deleted.
 * A full block is never written again: the partition rolls over to a new, bigger generation.
 */
final class Generation {
    static final String CHUNKS = "chunks.cm";
    static final String SERIES = "series.cm";
    static final String INDEX = "index.bin";
    static final String CHUNK_FILE = "chunks.bin";
    /** Written (and fsynced) once both maps exist: a generation without it never took a write. */
    static final String READY = "ready";
    /** System property: "false" seals new blocks without shared timelines (a kill switch; benchmarks compare both). */
    static final String SHARED_TIMELINES_PROPERTY = "tally.seal.sharedTimelines";

    enum WriteResult { OK, FULL, NOT_WRITABLE }

    private static final System.Logger LOG = System.getLogger(Generation.class.getName());

    final Path dir;
    final int number;
    final long baseT;
    /** Map capacities (for a heap block: a sizing hint only, until it is spilled to maps). */
    volatile GenerationMeta meta;
    /** Chronicle Map on disk, or a heap map for a block written straight into the sealed form; null once sealed and unread. */
    private java.util.concurrent.ConcurrentMap<Long, byte[]> chunks;
    /**
     * A heap block: nothing on disk until it is sealed (the WAL holds its samples until then). Turns false when a
     * heap block that failed to seal is spilled to Chronicle Maps.
     */
    private volatile boolean inHeap;
    /** For a heap block: its estimated heap use, the store-wide total it adds to, and its own cap. */
    private final HeapAccount heap;
    private long heapBlockBytes = Long.MAX_VALUE;
    /**
     * Fault injection for tests ({@code -Dtally.fault.seal.failures=N}): the next N seals fail before writing
     * anything, -1 makes every seal fail. 0 (the default) injects nothing.
     */
    static final java.util.concurrent.atomic.AtomicInteger injectedSealFailures =
            new java.util.concurrent.atomic.AtomicInteger(Integer.getInteger("tally.fault.seal.failures", 0));
    /** Fault injection for tests ({@code -Dtally.fault.sync.failures=N}): as for seals, the fsyncs of map blocks. */
    static final java.util.concurrent.atomic.AtomicInteger injectedSyncFailures =
            new java.util.concurrent.atomic.AtomicInteger(Integer.getInteger("tally.fault.sync.failures", 0));
    private ChunkFile chunkFile;                        // set once sealed
    private boolean hasTimelines;                      // sealed with shared timelines (timelines.bin)
    private volatile java.lang.ref.SoftReference<BlockTimelines> timelines = new java.lang.ref.SoftReference<>(null);
    private int readers;
    private ChronicleMap<Integer, byte[]> seriesMap;   // null once sealed
    private MutableIndex mutable;                      // null once sealed
    private volatile BlockIndex index;
    private volatile boolean writable;
    private volatile boolean sealed;
    private boolean closed;
    private final ReentrantReadWriteLock writeGuard = new ReentrantReadWriteLock();
    private final AtomicLong chunkCount = new AtomicLong();
    private final AtomicLong chunkBytes = new AtomicLong();     // caller's chunk bytes
    private final AtomicLong storedBytes = new AtomicLong();    // value bytes in the map (with headers)
    private final AtomicLong seriesBytes = new AtomicLong();
    private volatile Runnable onNearlyFull;   // fired once when 3/4 of a capacity is used

    private Generation(Path dir, int number, long baseT, GenerationMeta meta,
                       java.util.concurrent.ConcurrentMap<Long, byte[]> chunks, boolean inHeap, HeapAccount heap) {
        this.dir = dir;
        this.number = number;
        this.baseT = baseT;
        this.meta = meta;
        this.chunks = chunks;
        this.inHeap = inHeap;
        this.heap = heap;
    }

    /**
     * A block kept in the heap until it is sealed: for a partition that is over, whose blocks would go
     * through Chronicle Maps only to be sealed minutes later. Its folder is created by {@link #seal}. It stops
     * taking writes once its estimated heap use reaches {@code maxHeapBytes}; {@code total} sums all heap blocks.
     */
    static Generation createInHeap(Path dir, int number, long baseT, GenerationMeta meta, long maxHeapBytes,
                                   java.util.concurrent.atomic.AtomicLong total) {
        Generation g = new Generation(dir, number, baseT, meta, new java.util.concurrent.ConcurrentHashMap<>(), true,
                new HeapAccount(total));
        g.heapBlockBytes = maxHeapBytes;
        g.mutable = new MutableIndex();
        g.index = g.mutable;
        g.writable = true;
        return g;
    }

    boolean inHeap() { return inHeap; }

    static Generation create(Path dir, int number, long baseT, GenerationMeta meta) throws IOException {
        Files.createDirectories(dir);
        meta.write(dir);
        ChronicleMap<Long, byte[]> c = ChronicleMaps.chunks(dir.resolve(CHUNKS).toFile(), meta.chunkEntries(),
                meta.avgChunkValue(), true, false);
        Generation g = new Generation(dir, number, baseT, meta, c, false, null);
        try {
            g.seriesMap = ChronicleMaps.series(dir.resolve(SERIES).toFile(), meta.seriesEntries(), meta.avgSeriesValue(), true, false);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        g.mutable = new MutableIndex();
        g.index = g.mutable;
        g.writable = true;
        markReady(dir);
        return g;
    }

    private static void markReady(Path dir) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir.resolve(READY),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** Opens an existing block; {@code recover} after an unclean shutdown. A block without index file is rebuilt from its maps. */
    static Generation open(Path dir, int number, long baseT, boolean recover) throws IOException {
        GenerationMeta meta = GenerationMeta.read(dir);
        Path indexFile = dir.resolve(INDEX);
        if (Files.exists(indexFile)) {
            Generation g = new Generation(dir, number, baseT, meta, null, false, null);
            CompactIndex ci = CompactIndex.open(indexFile);
            g.chunkFile = ChunkFile.open(dir.resolve(CHUNK_FILE));
            g.hasTimelines = Files.exists(dir.resolve(BlockTimelines.FILE));
            g.index = ci;
            g.sealed = true;
            g.chunkCount.set(ci.chunkCount());
            g.chunkBytes.set(ci.chunkBytes() + g.timelineFileBytes());
            // sealing committed (index renamed last) but died before removing the maps
            Files.deleteIfExists(dir.resolve(SERIES));
            Files.deleteIfExists(dir.resolve(CHUNKS));
            return g;
        }
        Files.deleteIfExists(dir.resolve(CHUNK_FILE)); // an unfinished seal: the maps are still the truth
        Files.deleteIfExists(dir.resolve(CHUNK_FILE + ".tmp"));
        Files.deleteIfExists(dir.resolve(INDEX + ".tmp"));
        Files.deleteIfExists(dir.resolve(BlockTimelines.FILE));
        Files.deleteIfExists(dir.resolve(BlockTimelines.FILE + ".tmp"));
        ChronicleMap<Long, byte[]> c = ChronicleMaps.chunks(dir.resolve(CHUNKS).toFile(), meta.chunkEntries(),
                meta.avgChunkValue(), false, recover);
        Generation g = new Generation(dir, number, baseT, meta, c, false, null);
        try {
            {
                g.seriesMap = ChronicleMaps.series(dir.resolve(SERIES).toFile(), meta.seriesEntries(), meta.avgSeriesValue(), false, recover);
                g.rebuild();
                g.writable = g.chunkCount.get() < meta.chunkEntries() && g.mutable.seriesCount() < meta.seriesEntries();
            }
        } catch (IOException | RuntimeException e) {
            g.close();
            throw e;
        }
        return g;
    }

    /** Restores the in-memory index of a block still being written from its two maps. */
    private void rebuild() {
        MutableIndex idx = new MutableIndex();
        // restore in id order: postings lists must stay sorted for seek-based intersection, and a
        // Chronicle Map iterates in hash order. Ids are dense, so an array by id orders them without a
        // sorted copy of the map (the block's labels are the only thing held)
        Labels[] byId = new Labels[0];
        for (Map.Entry<Integer, byte[]> e : seriesMap.entrySet()) {
            int id = e.getKey();
            if (id < 0) continue;
            if (id >= byId.length) byId = java.util.Arrays.copyOf(byId, Math.max(id + 1, byId.length * 2));
            byId[id] = LabelsCodec.decode(e.getValue());
            seriesBytes.addAndGet(e.getValue().length);
        }
        for (int id = 0; id < byId.length; id++) {
            if (byId[id] != null) idx.restore(id, byId[id]);
        }
        long n = 0, bytes = 0, stored = 0;
        for (Map.Entry<Long, byte[]> e : chunks.entrySet()) {
            long key = e.getKey();
            int id = ChunkValue.seriesId(key);
            MutableSeries s = id < idx.seriesCount() ? idx.series(id) : null;
            if (s == null) {
                LOG.log(System.Logger.Level.WARNING, "chunk of unknown series {0} in {1}; ignored", id, dir);
                continue;
            }
            byte[] v = e.getValue();
            long[] t = ChunkValue.times(baseT, v);
            synchronized (s) {
                s.publish(ChunkValue.seq(key), t[0], t[1]);
            }
            n++;
            bytes += v.length - ChunkValue.headerLength(v);
            stored += v.length;
        }
        idx.finishRestore();
        chunkCount.set(n);
        chunkBytes.set(bytes);
        storedBytes.set(stored);
        mutable = idx;
        index = idx;
    }

    /** Persists one chunk. FULL / NOT_WRITABLE tell the caller to roll over and retry elsewhere. */
    WriteResult write(Labels labels, byte[] chunk, long minT, long maxT) {
        if (!writable) return WriteResult.NOT_WRITABLE;
        if (!writeGuard.readLock().tryLock()) return WriteResult.NOT_WRITABLE;
        try {
            if (!writable) return WriteResult.NOT_WRITABLE;
            MutableSeries s = mutable.get(labels);
            if (s == null) {
                if (!inHeap && mutable.seriesCount() >= meta.seriesEntries()) return full();
                try {
                    s = mutable.getOrCreate(labels, id -> {
                        if (inHeap) { // its labels reach the disk in index.bin, at sealing
                            heap.add(HeapAccount.seriesBytes(labels));
                            return;
                        }
                        byte[] enc = LabelsCodec.encode(labels);
                        seriesMap.put(id, enc);
                        seriesBytes.addAndGet(enc.length);
                    });
                } catch (IllegalStateException e) { // Chronicle: map full despite our accounting
                    return full();
                }
            }
            byte[] value = ChunkValue.encode(baseT, minT, maxT, chunk);
            boolean added;
            synchronized (s) {
                // a replayed write of the same chunk replaces it; a different chunk with the same range
                // (out-of-order data, a series back after leaving the head) is kept as another chunk
                int id = s.id;
                int seq = s.seqFor(minT, maxT, q -> java.util.Arrays.equals(chunks.get(ChunkValue.key(id, q)), value));
                try {
                    chunks.put(ChunkValue.key(s.id, seq), value);
                } catch (IllegalStateException e) {
                    return full();
                }
                added = s.publish(seq, minT, maxT);
            }
            if (added) {
                chunkBytes.addAndGet(chunk.length);
                long stored = storedBytes.addAndGet(value.length);
                long count = chunkCount.incrementAndGet();
                if (inHeap) {
                    // no map capacity, but a heap budget: a full block is sealed in the background and the
                    // partition continues in a new one, so a fast backfill does not hold days of chunks
                    if (heap.add(HeapAccount.chunkBytes(value)) >= heapBlockBytes) writable = false;
                } else if (count >= meta.chunkEntries() || stored >= meta.chunkByteBudget()) {
                    writable = false; // this chunk is in; the next one goes to a new generation
                } else if (count * 4 >= meta.chunkEntries() * 3 || stored * 4 >= meta.chunkByteBudget() * 3
                        || (long) mutable.seriesCount() * 4 >= meta.seriesEntries() * 3) {
                    Runnable r = onNearlyFull;
                    if (r != null) {
                        onNearlyFull = null;
                        r.run();
                    }
                }
            }
            return WriteResult.OK;
        } finally {
            writeGuard.readLock().unlock();
        }
    }

    private WriteResult full() {
        writable = false;
        return WriteResult.FULL;
    }

    boolean isWritable() { return writable; }

    /** Sets what to run (once) when the block is three quarters full. */
    void onNearlyFull(Runnable r) { onNearlyFull = r; }

    /**
     * Capacities for the block that follows this one in the same partition: a map that (nearly) filled up
     * doubles, the other keeps its size (a late write after sealing keeps both); average value sizes
     * follow what was observed.
     */
    GenerationMeta successorMeta() {
        if (inHeap) { // no map sizes to grow from: size a successor by what the block holds
            return new GenerationMeta(Math.max(1024, chunkCount() + chunkCount() / 4), Math.max(16, avgChunkValue()),
                    Math.max(1024, seriesCount() + seriesCount() / 4), Math.max(16, avgSeriesValue()));
        }
        // 0.7: also right when asked ahead of time, at three quarters
        boolean chunksFull = chunkCount() >= meta.chunkEntries() * 0.7 || storedBytes() >= meta.chunkByteBudget() * 0.7;
        boolean seriesFull = seriesCount() >= meta.seriesEntries() * 0.7;
        return new GenerationMeta(chunksFull ? meta.chunkEntries() * 2 : meta.chunkEntries(),
                Math.max(16, avgChunkValue()),
                seriesFull ? meta.seriesEntries() * 2 : meta.seriesEntries(),
                Math.max(16, avgSeriesValue()));
    }

    boolean isSealed() { return sealed; }

    /** Stops writes for good (the partition moved on); sealing may follow. */
    void stopWrites() { writable = false; }

    /**
     * Turns the block immutable: waits for in-flight writes, writes the timelines its chunks share, copies its
     * chunks into a flat chunk file (those that share a timeline with external timestamps) and writes the
     * compact index (all fsynced; the index rename commits), then drops the in-memory index and the series
     * map. The chunk map goes once no reader holds the block: readers that captured the in-memory index keep
     * reading chunks from it.
     */
    synchronized void seal() throws IOException {
        if (sealed || closed) return;
        writable = false;
        writeGuard.writeLock().lock();
        writeGuard.writeLock().unlock(); // no writer can be inside any more: writable is false
        injectFault(injectedSealFailures, "sealing");
        Path indexFile = dir.resolve(INDEX);
        if (inHeap) {
            // a crash before index.bin's rename leaves a folder without index or ready marker: deleted at open
            Files.createDirectories(dir);
            successorMeta().write(dir);
        }
        java.util.Map<Long, byte[]> map = chunks;
        TimelineSharing.ChunkSource source = (id, seq) -> {
            byte[] v = map.get(ChunkValue.key(id, seq));
            if (v == null) throw new IOException("chunk " + id + "/" + seq + " missing in " + dir);
            int h = ChunkValue.headerLength(v);
            return java.util.Arrays.copyOfRange(v, h, v.length);
        };
        boolean share = Boolean.parseBoolean(System.getProperty(SHARED_TIMELINES_PROPERTY, "true"));
        boolean[] withTimelines = {false};
        try (BlockTimelines.Writer timelineOut = new BlockTimelines.Writer(dir.resolve(BlockTimelines.FILE))) {
            TimelineSharing sharing = share ? TimelineSharing.start(mutable, source, timelineOut) : null;
            // timelines.bin is renamed into place (or removed) before the index: the index rename commits both
            CompactIndexWriter.write(mutable, baseT, (id, seq) -> {
                byte[] c = source.read(id, (int) seq);
                return sharing == null ? c : sharing.rewrite(id, (int) seq, c);
            }, indexFile, dir.resolve(CHUNK_FILE), () -> withTimelines[0] = timelineOut.commit());
        }
        CompactIndex ci = CompactIndex.open(indexFile);
        chunkFile = ChunkFile.open(dir.resolve(CHUNK_FILE));
        hasTimelines = withTimelines[0];
        chunkCount.set(ci.chunkCount());
        chunkBytes.set(ci.chunkBytes() + timelineFileBytes());
        index = ci;
        sealed = true;
        mutable = null;
        if (seriesMap != null) {
            seriesMap.close();
            seriesMap = null;
        }
        Files.deleteIfExists(dir.resolve(SERIES));
        if (heap != null) heap.release(); // the chunk map may live on while read, but only as long as a query
        if (readers == 0) dropChunkMap();
    }

    private static void injectFault(java.util.concurrent.atomic.AtomicInteger failures, String what) throws IOException {
        int n = failures.get();
        if (n == 0) return;
        if (n > 0) failures.compareAndSet(n, n - 1);
        throw new IOException("injected " + what + " failure");
    }

    /** Estimated heap use of a heap block not yet sealed, else 0. */
    long heapBytes() {
        return inHeap && !sealed && heap != null ? heap.bytes() : 0;
    }

    /**
     * Makes a heap block that could not be sealed durable another way: writes it into Chronicle Maps, as the live
     * day's blocks are written, and keeps it as an ordinary unsealed block from then on (readable, synced with the
     * store, sealed again later). Once this returns the WAL no longer has to keep its samples.
     */
    synchronized void spillToMaps() throws IOException {
        if (!inHeap || sealed || closed) return;
        writable = false;
        writeGuard.writeLock().lock();
        writeGuard.writeLock().unlock();
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(INDEX + ".tmp"));
        Files.deleteIfExists(dir.resolve(CHUNK_FILE));
        long series = mutable.seriesCount();
        long count = chunks.size();
        double avgSeries = 64;
        if (series > 0) {
            long labelBytes = 0;
            for (int id = 0; id < series; id++) {
                MutableSeries s = mutable.series(id);
                if (s != null) labelBytes += LabelsCodec.encode(s.labels).length;
            }
            avgSeries = Math.max(16, (double) labelBytes / series);
        }
        GenerationMeta m = new GenerationMeta(Math.max(1024, count + count / 4), Math.max(16, avgChunkValue()),
                Math.max(1024, series + series / 4), avgSeries);
        m.write(dir);
        ChronicleMap<Long, byte[]> c = ChronicleMaps.chunks(dir.resolve(CHUNKS).toFile(), m.chunkEntries(), m.avgChunkValue(), true, false);
        ChronicleMap<Integer, byte[]> sm;
        try {
            sm = ChronicleMaps.series(dir.resolve(SERIES).toFile(), m.seriesEntries(), m.avgSeriesValue(), true, false);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        try {
            long seriesBytesWritten = 0;
            for (int id = 0; id < series; id++) {
                MutableSeries s = mutable.series(id);
                if (s == null) continue;
                byte[] enc = LabelsCodec.encode(s.labels);
                sm.put(id, enc);
                seriesBytesWritten += enc.length;
            }
            c.putAll(chunks);
            force(dir.resolve(CHUNKS));
            force(dir.resolve(SERIES));
            markReady(dir); // from here a restart rebuilds the block from its maps
            seriesBytes.set(seriesBytesWritten);
        } catch (IOException | RuntimeException e) {
            c.close();
            sm.close();
            throw e;
        }
        meta = m;
        chunks = c;
        seriesMap = sm;
        inHeap = false;
        heap.release();
    }

    private void dropChunkMap() throws IOException {
        if (chunks == null) return;
        if (chunks instanceof ChronicleMap<?, ?> m) m.close();
        chunks = null;
        if (!inHeap) Files.deleteIfExists(dir.resolve(CHUNKS));
    }

    /** Pins the block for a reader and returns the index to read it through (chunks stay readable until release). */
    synchronized BlockIndex acquire() {
        readers++;
        return index;
    }

    synchronized void release() {
        if (--readers == 0 && sealed && !closed) {
            try {
                dropChunkMap();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot delete chunk map of sealed block " + dir, e);
            }
        }
    }

    /** Flushes the maps' dirty pages to disk (Linux: fsync also writes back pages dirtied through mmap). */
    synchronized void sync() throws IOException {
        if (sealed || closed || inHeap) return; // a heap block becomes durable by sealing (ChunkStore.sync)
        injectFault(injectedSyncFailures, "fsync");
        force(dir.resolve(CHUNKS));
        force(dir.resolve(SERIES));
    }

    private static void force(Path file) throws IOException {
        if (!Files.exists(file)) return;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(false);
        }
    }

    BlockIndex index() { return index; }

    /** The stored value (header + chunk) of a block read through its in-memory index, or null. */
    byte[] readValue(long key) {
        return chunks.get(key);
    }

    /** Copies a chunk of a sealed block into dst; false when the chunk file ends before it (a truncated file). */
    boolean readSealed(long offset, byte[] dst, int length) {
        if (offset < 0 || length < 0 || offset > chunkFile.size - length) return false;
        chunkFile.read(offset, dst, length);
        return true;
    }

    /** Instants of one of this sealed block's shared timelines (loaded on first use, held softly). */
    long[] timeline(int id) {
        BlockTimelines t = timelines.get();
        if (t == null) t = loadTimelines();
        return t.get(id);
    }

    private synchronized BlockTimelines loadTimelines() {
        BlockTimelines t = timelines.get();
        if (t != null) return t;
        if (!hasTimelines) throw new IllegalStateException("chunk with external timestamps in " + dir + ", which has no timelines");
        try {
            t = BlockTimelines.read(dir.resolve(BlockTimelines.FILE));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        timelines = new java.lang.ref.SoftReference<>(t);
        return t;
    }

    long chunkCount() { return chunkCount.get(); }
    long chunkBytes() { return chunkBytes.get(); }
    long storedBytes() { return storedBytes.get(); }
    long seriesCount() { return index.seriesCount(); }

    /** Average stored bytes of one chunk value, or the configured one before any write. */
    double avgChunkValue() {
        long n = chunkCount.get();
        if (n == 0) return meta.avgChunkValue();
        long stored = storedBytes.get();
        return stored > 0 ? (double) stored / n : (double) chunkBytes.get() / n + 6; // sealed: header ~6 B
    }

    double avgSeriesValue() {
        long n = index.seriesCount();
        return n == 0 || seriesBytes.get() == 0 ? meta.avgSeriesValue() : (double) seriesBytes.get() / n;
    }

    /** Sealed chunk bytes include the shared timelines: they are the chunks' timestamps. */
    private long timelineFileBytes() throws IOException {
        Path f = dir.resolve(BlockTimelines.FILE);
        return hasTimelines && Files.exists(f) ? Files.size(f) : 0;
    }

    boolean hasChunkMap() { return chunks != null; }

    long indexDiskBytes() throws IOException {
        if (inHeap && !sealed) return 0;
        Path f = dir.resolve(sealed ? INDEX : SERIES);
        return Files.exists(f) ? Files.size(f) : 0;
    }

    synchronized void close() {
        if (closed) return;
        closed = true;
        writable = false;
        if (heap != null) heap.release();
        try {
            if (chunks instanceof ChronicleMap<?, ?> m) m.close();
        } finally {
            if (seriesMap != null) {
                seriesMap.close();
                seriesMap = null;
            }
        }
    }
}
