package tally.storage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tally.storage.store.StoreTestSupport.DAY;
import static tally.storage.store.StoreTestSupport.all;
import static tally.storage.store.StoreTestSupport.chunk;
import static tally.storage.store.StoreTestSupport.claude;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Labels;

/** Ingest threads write (forcing rollovers and sealing) while readers select and iterate. */
class ConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void writersAndReadersRunTogether() throws Exception {
        int writers = 4, seriesPerWriter = 150, chunksEach = 3;
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicBoolean done = new AtomicBoolean();
        try (ChunkStore s = ChunkStore.open(dir, StoreTestSupport.tiny())) {
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int wid = w;
                threads.add(new Thread(() -> {
                    try {
                        for (int c = 0; c < chunksEach; c++) {
                            for (int i = 0; i < seriesPerWriter; i++) {
                                Labels l = claude("m" + (i % 5), "w" + wid + "s" + (i / 5), "opus");
                                long t = 1000L * c + (c == 2 ? DAY : 0); // the last round lands in day 1
                                s.write(wid * 1000L + i, l, chunk(l, t), t, t + 10);
                            }
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }));
            }
            for (int rd = 0; rd < 2; rd++) {
                threads.add(new Thread(() -> {
                    int last = 0;
                    try {
                        while (!done.get()) {
                            try (StoreReader r = s.reader(0, 2 * DAY)) {
                                List<StoredSeries> got = r.select(all(), false);
                                int chunks = 0;
                                for (StoredSeries ss : got) {
                                    ChunkCursor cur = ss.chunks(0, 2 * DAY);
                                    long prev = Long.MIN_VALUE;
                                    while (cur.next()) {
                                        chunks++;
                                        assertTrue(cur.minT() >= prev, "time order");
                                        prev = cur.minT();
                                        String want = new String(chunk(ss.labels(), cur.minT()));
                                        assertEquals(want, new String(cur.array(), cur.offset(), cur.length()));
                                    }
                                }
                                assertTrue(chunks >= last, "a later reader never sees less");
                                last = chunks;
                            }
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }));
            }
            for (Thread t : threads) t.start();
            for (int w = 0; w < writers; w++) threads.get(w).join();
            done.set(true);
            for (Thread t : threads) t.join();
            if (!errors.isEmpty()) throw new AssertionError(errors.peek());
            try (StoreReader r = s.reader(0, 2 * DAY)) {
                List<StoreTestSupport.Read> got = StoreTestSupport.readAll(r, all(), 0, 2 * DAY);
                assertEquals(writers * seriesPerWriter, got.size());
                for (StoreTestSupport.Read rd : got) assertEquals(chunksEach, rd.chunks().size());
            }
            assertEquals(writers * seriesPerWriter * chunksEach, s.stats().chunks());
        }
    }
}
