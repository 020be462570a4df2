package tally.storage.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Labels;
import tally.model.LabelsBuilder;

/**
 * A sealed index answers the same whatever order records are read in: ascending, sparse (jumping over
 * records through the record offsets), backwards, labels before or after chunks, with and without a canon.
 */
class CompactIndexReadOrderTest {
    @TempDir
    Path tmp;

    @Test
    void anyAccessOrderReadsTheSameRecords() throws Exception {
        Random r = new Random(11);
        MutableIndex mutable = new MutableIndex();
        List<Labels> series = new ArrayList<>();
        List<long[]> chunks = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            LabelsBuilder b = new LabelsBuilder().set("__name__", "m" + r.nextInt(3)).set("session_id", "s" + i);
            if (r.nextBoolean()) b.set("model", "x" + r.nextInt(5));
            Labels l = b.build();
            MutableSeries s = mutable.getOrCreate(l, id -> { });
            int n = 1 + r.nextInt(3);
            long[] ranges = new long[2 * n];
            synchronized (s) {
                for (int k = 0; k < n; k++) {
                    ranges[2 * k] = 10_000L * i + 1000L * k;
                    ranges[2 * k + 1] = ranges[2 * k] + 500;
                    s.publish(k, ranges[2 * k], ranges[2 * k + 1]);
                }
            }
            series.add(l);
            chunks.add(ranges);
        }
        Path f = tmp.resolve("index.bin");
        CompactIndexWriter.write(mutable, 0, (id, seq) -> new byte[] {(byte) id, (byte) seq, 1, 2}, f, tmp.resolve("chunks.bin"));
        CompactIndex index = CompactIndex.open(f);

        List<long[]> sequential = new ArrayList<>();
        BlockIndex.SeriesReader seq = index.seriesReader();
        for (int id = 0; id < series.size(); id++) sequential.add(read(seq, id, series, chunks, false));

        StringCanon canon = new StringCanon();
        for (int pass = 0; pass < 3; pass++) {
            BlockIndex.SeriesReader reader = pass == 2 ? index.seriesReader(canon) : index.seriesReader();
            List<Integer> ids = new ArrayList<>();
            for (int id = 0; id < series.size(); id++) if (pass == 1 || r.nextInt(4) == 0) ids.add(id);
            if (pass == 1) java.util.Collections.reverse(ids);
            for (int id : ids) {
                long[] refs = read(reader, id, series, chunks, pass == 0);
                assertEquals(java.util.Arrays.toString(sequential.get(id)), java.util.Arrays.toString(refs), "id " + id);
            }
        }
        // with a canon, equal values of different readers are one instance
        Labels a = index.seriesReader(canon).labels(0);
        Labels b = index.seriesReader(canon).labels(0);
        assertSame(a.get("__name__"), b.get("__name__"));
    }

    /** Checks labels (before or after chunks) and returns the chunk references of one id. */
    private static long[] read(BlockIndex.SeriesReader reader, int id, List<Labels> series, List<long[]> chunks,
                               boolean labelsFirst) {
        if (labelsFirst) assertEquals(series.get(id), reader.labels(id), "labels of " + id);
        List<Long> out = new ArrayList<>();
        int n = reader.chunks(id, (ref, length, minT, maxT) -> {
            out.add(ref);
            out.add((long) length);
            out.add(minT);
            out.add(maxT);
        });
        assertEquals(chunks.get(id).length / 2, n);
        for (int k = 0; k < n; k++) {
            assertEquals(chunks.get(id)[2 * k], out.get(4 * k + 2));
            assertEquals(chunks.get(id)[2 * k + 1], out.get(4 * k + 3));
        }
        if (!labelsFirst) {
            Labels l = reader.labels(id);
            assertNotNull(l);
            assertEquals(series.get(id), l, "labels of " + id);
        }
        long[] a = new long[out.size()];
        for (int i = 0; i < a.length; i++) a[i] = out.get(i);
        return a;
    }
}
