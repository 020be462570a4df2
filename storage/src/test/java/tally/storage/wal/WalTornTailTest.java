package tally.storage.wal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Labels;

class WalTornTailTest {
    @TempDir
    Path tmp;

    private final WalOptions opts = Recorded.opts(64 << 20);

    @Test
    void everyCutInsideTheLastRecordIsTruncatedAndTheWalStaysWritable() throws IOException {
        Path original = tmp.resolve("original");
        List<Recorded.Sample> before = new ArrayList<>();
        long lastRecordStart;
        try (Wal wal = Wal.open(original, opts)) {
            wal.replay(new Recorded());
            WalBatch b = new WalBatch();
            Random rnd = new Random(3);
            for (int batch = 0; batch < 20; batch++) {
                b.clear();
                b.series(batch, Labels.of("__name__", "m", "i", Integer.toString(batch)));
                for (int i = 0; i < 30; i++) {
                    double v = rnd.nextDouble();
                    b.sample(batch, batch * 100L + i, v);
                    before.add(Recorded.Sample.of(batch, batch * 100L + i, v));
                }
                wal.write(b);
            }
            lastRecordStart = wal.sizeBytes();
            b.clear();
            for (int i = 0; i < 25; i++) b.sample(i % 20, 1_000_000L + i, i); // one samples record
            wal.write(b);
        }
        byte[] full = Files.readAllBytes(WalFiles.segment(original, 0));
        int end = full.length;
        assertTrue(end - lastRecordStart > 250, "last record is " + (end - lastRecordStart) + " bytes");

        Random rnd = new Random(5);
        int checkedWritable = 0;
        for (int cut = (int) lastRecordStart; cut <= end; cut++) {
            int garbage = cut == end || cut % 3 == 0 ? 1 + rnd.nextInt(64) : 0;
            if (cut == lastRecordStart && garbage == 0) continue; // nothing torn
            if (cut == end && garbage == 0) continue;
            Path dir = tmp.resolve("cut-" + cut);
            Files.createDirectories(dir);
            byte[] bytes = Arrays.copyOf(full, cut + garbage);
            for (int i = cut; i < bytes.length; i++) bytes[i] = (byte) rnd.nextInt(256);
            Files.write(WalFiles.segment(dir, 0), bytes);

            Recorded r = Recorded.replay(dir, opts);
            int expectedSamples = cut == end ? before.size() + 25 : before.size();
            assertEquals(expectedSamples, r.samples.size(), "cut at " + cut);
            assertEquals(before, r.samples.subList(0, before.size()), "cut at " + cut);
            long torn = cut == end ? garbage : cut - lastRecordStart + garbage;
            assertEquals(torn, r.stats.tornBytesTruncated(), "cut at " + cut);
            assertEquals(cut == end ? end : lastRecordStart, Files.size(WalFiles.segment(dir, 0)));

            if (cut % 7 == 0 || cut == end) {
                checkedWritable++;
                try (Wal wal = Wal.open(dir, opts)) {
                    assertEquals(0, wal.replay(new Recorded()).tornBytesTruncated(), "repaired already");
                    WalBatch b = new WalBatch();
                    b.sample(99, 5, 6);
                    wal.write(b);
                }
                Recorded again = Recorded.replay(dir, opts);
                assertEquals(expectedSamples + 1, again.samples.size());
                assertEquals(new Recorded.Sample(99, 5, Double.doubleToRawLongBits(6)),
                        again.samples.get(expectedSamples));
                assertEquals(0, again.stats.tornBytesTruncated());
            }
            WalFiles.deleteRecursively(dir);
        }
        assertTrue(checkedWritable > 20);
    }

    @Test
    void partialSegmentHeaderAndEmptyLastSegmentAreRepaired() throws IOException {
        Path dir = tmp.resolve("wal");
        WalBatch b = new WalBatch();
        b.sample(1, 2, 3);
        try (Wal wal = Wal.open(dir, opts)) {
            wal.replay(new Recorded());
            wal.write(b);
        }
        Files.write(WalFiles.segment(dir, 1), new byte[] {'T', 'W'}); // died while writing the header
        Recorded r = Recorded.replay(dir, opts);
        assertEquals(1, r.samples.size());
        assertEquals(2, r.stats.tornBytesTruncated());
        assertEquals(0, Files.size(WalFiles.segment(dir, 1)));

        Files.write(WalFiles.segment(dir, 3), new byte[0]); // died right after creating the file
        try (Wal wal = Wal.open(dir, opts)) {
            assertEquals(0, wal.replay(new Recorded()).tornBytesTruncated(), "an empty file has nothing torn");
            wal.write(b);
        }
        assertEquals(List.of(0L, 1L, 3L, 4L), WalFiles.segments(dir));
        Recorded again = Recorded.replay(dir, opts);
        assertEquals(2, again.samples.size());
        assertEquals(0, again.stats.tornBytesTruncated());
    }
}
