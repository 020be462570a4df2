package tally.storage.store;

import java.io.File;
import java.io.IOException;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

/** Creates and opens the two kinds of Chronicle Map a block uses. */
final class ChronicleMaps {
    /**
     * Lets Chronicle Map grow past its configured entries (extra segment tiers) before it throws, so hash
     * skew or a burst of large chunks costs a little file growth instead of a failed write; the store
     * rolls over on its own count well before this limit.
     */
    static final double MAX_BLOAT = 4.0;

    static {
        disableAnalytics();
    }

    private ChronicleMaps() {}

    /** Chronicle's analytics phone home and write into $HOME unless disabled before first use. */
    static void disableAnalytics() {
        if (System.getProperty("chronicle.analytics.disable") == null) {
            System.setProperty("chronicle.analytics.disable", "true");
        }
    }

    /** Chunk values keyed by (local series id << 32 | seq). */
    static ChronicleMap<Long, byte[]> chunks(File file, long entries, double averageValueBytes, boolean create, boolean recover)
            throws IOException {
        ChronicleMapBuilder<Long, byte[]> b = ChronicleMapBuilder.of(Long.class, byte[].class)
                .name("tally-chunks")
                .entries(Math.max(entries, 16))
                .averageValueSize(Math.max(averageValueBytes, 16))
                .maxBloatFactor(MAX_BLOAT);
        return open(b, file, create, recover);
    }

    /** Encoded labels keyed by local series id: the crash-safe record of a block still being written. */
    static ChronicleMap<Integer, byte[]> series(File file, long entries, double averageValueBytes, boolean create, boolean recover)
            throws IOException {
        ChronicleMapBuilder<Integer, byte[]> b = ChronicleMapBuilder.of(Integer.class, byte[].class)
                .name("tally-series")
                .entries(Math.max(entries, 16))
                .averageValueSize(Math.max(averageValueBytes, 16))
                .maxBloatFactor(MAX_BLOAT);
        return open(b, file, create, recover);
    }

    private static <K, V> ChronicleMap<K, V> open(ChronicleMapBuilder<K, V> b, File file, boolean create, boolean recover)
            throws IOException {
        // Sparse: a block's maps are sized for the whole partition ahead (~80 MB for the default 100 k series
        // and 200 k chunks), but take disk only for the pages written. The price: a write into a hole when
        // the disk is full kills the process (SIGBUS) instead of failing; acknowledged samples are in the
        // WAL, which is written first and does fail cleanly (docs/storage-layout.md).
        b.sparseFile(true);
        // The store closes its maps itself. Chronicle's own close-on-exit hook would close them while our
        // shutdown hook still flushes into them, and refuses maps created during shutdown (a flush at
        // SIGTERM can open a new partition) with "Shutdown in progress".
        b.skipCloseOnExitHook(true);
        if (!create && !file.exists()) throw new IOException("missing map file " + file);
        // recoverPersistedTo clears segment locks a killed process left behind (else writes block, then fail)
        if (recover && !create) return b.recoverPersistedTo(file, false);
        return b.createPersistedTo(file);
    }
}
