package tally.storage.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * One time partition [start, end): a folder holding generations g0, g1, ... Only the newest generation
 * takes writes; older ones are sealed. Readers pin the partition (refcount) so retention can defer deleting it.
 */
final class Partition {
    static final String PREFIX = "p_";
    private static final System.Logger LOG = System.getLogger(Partition.class.getName());

    final long start;
    final long end;
    final Path dir;
    private final CopyOnWriteArrayList<Generation> gens = new CopyOnWriteArrayList<>();
    private volatile Generation current;   // the generation taking writes, or null
    private Generation prepared;           // created ahead for the next rollover, not yet in gens
    private int refs;
    private boolean deleted;

    private final Executor background;     // runs prepareSuccessor
    private final StoreOptions opts;       // heap block budget
    private final java.util.concurrent.atomic.AtomicLong heapTotal; // estimated bytes of all unsealed heap blocks

    Partition(long start, long end, Path dir, Executor background, StoreOptions opts,
              java.util.concurrent.atomic.AtomicLong heapTotal) {
        this.start = start;
        this.end = end;
        this.dir = dir;
        this.background = background;
        this.opts = opts;
        this.heapTotal = heapTotal;
    }

    /** Makes g the generation taking writes and arranges for its successor to be prepared ahead. */
    private void makeCurrent(Generation g) {
        current = g;
        g.onNearlyFull(() -> background.execute(() -> {
            try {
                prepareSuccessor(g);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "preparing the next block of " + dir + " failed; rollover will create it", e);
            }
        }));
    }

    static Path dirFor(Path root, long start) {
        return root.resolve(PREFIX + start);
    }

    /** Start of the partition a folder name stands for, or null when the name is not a partition. */
    static Long parseStart(String folderName) {
        if (!folderName.startsWith(PREFIX)) return null;
        try {
            return Long.parseLong(folderName.substring(PREFIX.length()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Opens every generation in the folder, oldest first; all but the newest writable one stop taking writes. */
    void openExisting(boolean recover, Consumer<Generation> sealLater) throws IOException {
        List<Path> genDirs;
        try (Stream<Path> s = Files.list(dir)) {
            genDirs = new ArrayList<>(s.filter(p -> p.getFileName().toString().matches("g\\d+")
                    && Files.exists(p.resolve(GenerationMeta.FILE))).toList());
        }
        genDirs.sort(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring(1))));
        for (Path g : genDirs) {
            if (!Files.exists(g.resolve(Generation.INDEX)) && !Files.exists(g.resolve(Generation.READY))) {
                // a crash while the block was being created (its maps may be half-initialised): writes only
                // start after the ready marker, so it never held data
                deleteTree(g);
                continue;
            }
            gens.add(Generation.open(g, Integer.parseInt(g.getFileName().toString().substring(1)), start, recover));
        }
        for (int i = 0; i < gens.size(); i++) {
            Generation g = gens.get(i);
            if (g.isSealed()) continue;
            if (i == gens.size() - 1 && g.isWritable()) {
                makeCurrent(g);
            } else {
                g.stopWrites();
                sealLater.accept(g);
            }
        }
    }

    List<Generation> generations() { return gens; }

    /**
     * The generation taking writes, creating one (sized by {@code firstSizing} for an empty partition);
     * {@code inHeap}: a new one is a heap block (see {@link StoreOptions#pastDaysInHeap}).
     */
    Generation writable(Supplier<GenerationMeta> firstSizing, Consumer<Generation> sealLater, boolean inHeap) {
        Generation g = current;
        if (g != null && g.isWritable()) return g;
        return rollOver(firstSizing, sealLater, inHeap);
    }

    private synchronized Generation rollOver(Supplier<GenerationMeta> firstSizing, Consumer<Generation> sealLater, boolean inHeap) {
        Generation g = current;
        if (g != null && g.isWritable()) return g;
        if (deleted) throw new PartitionDeletedException(dir.toString());
        try {
            Generation next = prepared != null ? prepared : createSuccessor(firstSizing, inHeap);
            prepared = null;
            gens.add(next);
            makeCurrent(next);
            if (g != null) {
                g.stopWrites();
                sealLater.accept(g);
            }
            return next;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a block of partition " + dir, e);
        }
    }

    private Generation createSuccessor(Supplier<GenerationMeta> firstSizing, boolean inHeap) throws IOException {
        GenerationMeta meta;
        int number;
        if (gens.isEmpty()) {
            meta = firstSizing.get();
            number = 0;
        } else {
            Generation last = gens.get(gens.size() - 1);
            meta = last.successorMeta();
            number = last.number + 1;
        }
        if (inHeap) return Generation.createInHeap(dir.resolve("g" + number), number, start, meta, opts.heapBlockBytes(), heapTotal);
        return Generation.create(dir.resolve("g" + number), number, start, meta);
    }

    /** Stops writes to the current block if it is a heap block (the caller seals it). */
    synchronized void retireHeapBlock() {
        Generation g = current;
        if (g == null || !g.inHeap()) return;
        current = null;
        g.stopWrites();
    }

    /** Stops writes to g (a later write opens a new block); g may be the current block or an older one. */
    synchronized void stopWritesTo(Generation g) {
        if (current == g) current = null;
        g.stopWrites();
    }

    /**
     * Creates the next generation ahead of time (creating a Chronicle Map can take seconds), so the
     * rollover that follows only swaps it in. Called in the background when {@code g} is nearly full.
     */
    synchronized void prepareSuccessor(Generation g) throws IOException {
        if (deleted || prepared != null || current != g || !g.isWritable()) return;
        prepared = createSuccessor(() -> g.meta, false);
    }

    /** Stops writes to the current generation so it can be sealed (the partition is past its write window). */
    synchronized Generation retireCurrent() {
        Generation g = current;
        current = null;
        closePrepared();
        if (g != null) g.stopWrites();
        return g;
    }

    synchronized boolean acquire() {
        if (deleted) return false;
        refs++;
        return true;
    }

    /** Returns true when this was the last reader of a deleted partition (the caller then destroys it). */
    synchronized boolean release() {
        refs--;
        return deleted && refs == 0;
    }

    /** Marks deleted; returns true when no reader holds it (destroy now), else the last release will. */
    synchronized boolean markDeleted() {
        deleted = true;
        current = null;
        closePrepared();
        return refs == 0;
    }

    synchronized boolean isDeleted() { return deleted; }

    /** Apparent size of the partition's files; files that vanish while it is walked (sealing, deletion) count 0. */
    long diskBytes() {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    void closeAll() {
        for (Generation g : gens) g.close();
        synchronized (this) {
            closePrepared();
        }
    }

    /** An unused prepared generation is closed and its folder deleted (its maps are reserved space). */
    private void closePrepared() {
        if (prepared != null) {
            prepared.close();
            try {
                deleteTree(prepared.dir);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot delete unused block " + prepared.dir, e);
            }
            prepared = null;
        }
    }

    /** Closes its maps and deletes the folder. */
    void destroy() throws IOException {
        closeAll();
        deleteTree(dir);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
