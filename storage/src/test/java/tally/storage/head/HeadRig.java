package tally.storage.head;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import tally.model.Labels;
import tally.model.Matcher;
import tally.model.Querier;
import tally.model.SampleIterator;
import tally.model.SelectHints;
import tally.model.SeriesSet;
import tally.storage.StorageOptions;
import tally.storage.query.TallyQuerier;
import tally.storage.store.ChunkStore;
import tally.storage.wal.Wal;

/**
 * The storage's parts wired like TallyStorage, for tests that need what it hides: a crash (files
 * closed without flushing the head, so the next open replays the WAL) and the head's internals.
 */
final class HeadRig implements AutoCloseable {
    final ChunkStore store;
    final Wal wal;
    final Head head;
    final HeadFlusher flusher;
    private boolean closed;

    private HeadRig(StorageOptions opts) throws IOException {
        store = ChunkStore.open(opts.dir().resolve("chunks"), opts.store());
        wal = Wal.open(opts.dir().resolve("wal"), opts.wal());
        head = new Head(opts, store, wal);
        flusher = new HeadFlusher(head);
        HeadReplayer replayer = new HeadReplayer(head, flusher);
        replayer.replay();
        flusher.flush(false);
        replayer.dropAliases();
    }

    static HeadRig open(StorageOptions opts) throws IOException {
        return new HeadRig(opts);
    }

    /** Closes the files as a killed process would leave them: the head is lost, the WAL holds it. */
    void crash() throws IOException {
        closed = true;
        wal.close();
        store.close();
    }

    /** Seals and flushes everything, as TallyStorage.close() does. */
    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        flusher.flush(true);
        wal.close();
        store.close();
    }

    TreeMap<Long, Double> read(Labels labels, long mint, long maxt) {
        List<Matcher> ms = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) ms.add(Matcher.equal(labels.name(i), labels.value(i)));
        TreeMap<Long, Double> out = new TreeMap<>();
        try (Querier q = new TallyQuerier(head, store, mint, maxt)) {
            SeriesSet set = q.select(true, SelectHints.range(mint, maxt), ms);
            while (set.next()) {
                if (!set.at().labels().equals(labels)) continue;
                SampleIterator it = set.at().iterator(null);
                long prev = Long.MIN_VALUE;
                while (it.next()) {
                    if (it.atT() <= prev) throw new AssertionError("not strictly increasing: " + it.atT() + " after " + prev);
                    prev = it.atT();
                    out.put(it.atT(), it.atV());
                }
            }
        }
        return out;
    }
}
