package tally.storage.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tally.model.Labels;
import tally.storage.chunk.ChunkEncoder;
import tally.storage.chunk.ChunkSnapshot;
import tally.storage.head.HeadSeries;
import tally.storage.head.SealedChunk;
import tally.storage.store.ChunkCursor;
import tally.storage.store.StoredSeries;

/**
 * next() and seek() over store and head chunks that overlap (merge path) or not (fast path),
 * against a TreeMap of what the chunks hold.
 */
class SeriesIteratorTest {
    private static final Labels L = Labels.of("__name__", "m");

    @Test
    void overlappingChunksMergeByTimestampOnce() {
        Random r = new Random(5);
        SeriesIterator it = new SeriesIterator();
        for (int round = 0; round < 400; round++) check(r, it, true);
    }

    @Test
    void chunksInTimeOrderTakeTheFastPath() {
        Random r = new Random(6);
        SeriesIterator it = new SeriesIterator();
        for (int round = 0; round < 400; round++) check(r, it, false);
    }

    private static void check(Random r, SeriesIterator it, boolean overlap) {
        TreeMap<Long, Double> model = new TreeMap<>();
        List<SealedChunk> chunks = new ArrayList<>();
        long next = r.nextInt(100);
        int n = 1 + r.nextInt(6);
        for (int c = 0; c < n; c++) {
            long start = overlap ? r.nextInt(400) : next;
            long[] ts = times(r, start, 1 + r.nextInt(overlap ? 30 : 15));
            ChunkEncoder e = new ChunkEncoder();
            for (long t : ts) {
                double v = t * 0.5; // one value per timestamp, like accepted data
                e.append(t, v);
                model.put(t, v);
            }
            chunks.add(new SealedChunk(e.toBytes(), e.minT(), e.maxT()));
            next = e.maxT() + 1;
        }
        // the last chunk may be the head's open chunk; the others split between store and head
        ChunkSnapshot open = null;
        long openMinT = Long.MAX_VALUE;
        if (r.nextBoolean()) {
            SealedChunk last = chunks.remove(chunks.size() - 1);
            ChunkEncoder e = ChunkEncoder.fromBytes(last.bytes(), 0, last.bytes().length);
            open = e.snapshot();
            openMinT = e.minT();
        }
        int split = overlap ? r.nextInt(chunks.size() + 1) : chunks.size() / 2;
        List<SealedChunk> stored = new ArrayList<>(chunks.subList(0, split));
        stored.sort((a, b) -> Long.compare(a.minT(), b.minT()));
        SealedChunk[] headChunks = chunks.subList(split, chunks.size()).toArray(new SealedChunk[0]);
        HeadSeries head = headChunks.length == 0 && open == null ? null
                : HeadSeries.of(L, headChunks, open, openMinT, model.lastKey());
        StoredSeries store = stored.isEmpty() ? null : new FakeStored(stored);

        long mint = r.nextInt(4) == 0 ? Long.MIN_VALUE : r.nextInt(300);
        long maxt = r.nextInt(4) == 0 ? Long.MAX_VALUE : mint + r.nextInt(500);
        Map.Entry<Long, Double> cur = null;
        it.reset(store, head, mint, maxt);
        while (true) {
            boolean more;
            Map.Entry<Long, Double> want;
            if (r.nextInt(3) == 0) {
                long target = (cur == null ? Math.max(mint, 0) : cur.getKey()) + r.nextInt(40) - 5;
                more = it.seek(target);
                want = cur != null && cur.getKey() >= target ? cur : model.ceilingEntry(Math.max(target, mint));
            } else {
                more = it.next();
                want = cur == null ? model.ceilingEntry(mint) : model.higherEntry(cur.getKey());
            }
            if (want != null && want.getKey() > maxt) want = null;
            if (want == null) {
                assertFalse(more, "nothing left in " + model + " [" + mint + ", " + maxt + "]");
                return;
            }
            assertEquals(true, more, "expected " + want + " in " + model);
            assertEquals((long) want.getKey(), it.atT());
            assertEquals(want.getValue(), it.atV());
            cur = want;
        }
    }

    private static long[] times(Random r, long start, int count) {
        long[] ts = new long[count];
        long t = start;
        for (int i = 0; i < count; i++) {
            ts[i] = t;
            t += 1 + r.nextInt(r.nextBoolean() ? 3 : 20);
        }
        return ts;
    }

    /** Store chunks behind a cursor that reuses one buffer, like sealed blocks do. */
    private record FakeStored(List<SealedChunk> chunks) implements StoredSeries {
        @Override public Labels labels() { return L; }

        @Override
        public boolean chunksOverlap(long mint, long maxt) {
            long reach = Long.MIN_VALUE;
            boolean any = false;
            for (SealedChunk c : chunks) {
                if (c.maxT() < mint || c.minT() > maxt) continue;
                if (any && c.minT() <= reach) return true;
                any = true;
                reach = Math.max(reach, c.maxT());
            }
            return false;
        }

        @Override
        public long chunksMaxT(long mint, long maxt) {
            long max = Long.MIN_VALUE;
            for (SealedChunk c : chunks) if (c.maxT() >= mint && c.minT() <= maxt) max = Math.max(max, c.maxT());
            return max;
        }

        @Override
        public ChunkCursor chunks(long mint, long maxt) {
            return new ChunkCursor() {
                int i = -1;
                final byte[] buf = new byte[4096];
                int len;

                @Override
                public boolean next() {
                    while (++i < chunks.size()) {
                        SealedChunk c = chunks.get(i);
                        if (c.maxT() < mint || c.minT() > maxt) continue;
                        Arrays.fill(buf, (byte) 0x5A); // stale bytes must never be read
                        System.arraycopy(c.bytes(), 0, buf, 0, c.bytes().length);
                        len = c.bytes().length;
                        return true;
                    }
                    return false;
                }

                @Override public byte[] array() { return buf; }
                @Override public int offset() { return 0; }
                @Override public int length() { return len; }
                @Override public long minT() { return chunks.get(i).minT(); }
                @Override public long maxT() { return chunks.get(i).maxT(); }
            };
        }
    }
}
