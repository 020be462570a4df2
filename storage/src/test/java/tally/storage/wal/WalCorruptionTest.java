package tally.storage.wal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Labels;

class WalCorruptionTest {
    @TempDir
    Path dir;

    private final WalOptions opts = Recorded.opts(2048);

    @Test
    void badCrcInTheMiddleStopsReplayAndSetsLaterSegmentsAside() throws IOException {
        try (Wal wal = Wal.open(dir, opts)) {
            wal.replay(new Recorded());
            WalBatch b = new WalBatch();
            Random rnd = new Random(1);
            for (int batch = 0; batch < 200; batch++) {
                b.clear();
                b.series(batch, Labels.of("__name__", "m", "b", Integer.toString(batch)));
                for (int i = 0; i < 20; i++) b.sample(batch, i, rnd.nextDouble());
                wal.write(b);
            }
        }
        List<Long> segments = WalFiles.segments(dir);
        assertTrue(segments.size() > 20);
        long bad = segments.get(10);
        // what replay should return: everything in the segments before the bad one, plus the bad one's first record
        Recorded expected = new Recorded();
        SegmentReader reader = new SegmentReader();
        for (long s : segments.subList(0, 10)) reader.read(WalFiles.segment(dir, s), expected);
        Path badFile = WalFiles.segment(dir, bad);
        byte[] bytes = Files.readAllBytes(badFile);
        int firstRecordEnd = RecordFormat.SEGMENT_HEADER_BYTES + RecordFormat.RECORD_HEADER_BYTES
                + (bytes[12] & 0xFF | (bytes[13] & 0xFF) << 8);
        Recorded firstRecord = new Recorded();
        Files.write(dir.resolve("probe"), java.util.Arrays.copyOf(bytes, firstRecordEnd));
        reader.read(dir.resolve("probe"), firstRecord);
        Files.delete(dir.resolve("probe"));
        expected.samples.addAll(firstRecord.samples);
        expected.series.putAll(firstRecord.series);
        bytes[firstRecordEnd + RecordFormat.RECORD_HEADER_BYTES + 2] ^= 0x40; // flip a bit in the 2nd record
        Files.write(badFile, bytes);

        Recorded r = Recorded.replay(dir, opts);
        assertEquals(expected.samples, r.samples);
        assertEquals(expected.series, r.series);
        assertTrue(r.stats.tornBytesTruncated() > bytes.length - firstRecordEnd);
        assertEquals(firstRecordEnd, Files.size(badFile));
        assertEquals(List.of(segments.subList(0, 11).toArray()), List.of(WalFiles.segments(dir).subList(0, 11).toArray()));
        long asideCount;
        try (Stream<Path> files = Files.list(dir)) {
            asideCount = files.filter(p -> p.getFileName().toString().contains(".corrupt-")).count();
        }
        assertEquals(segments.size() - 11 + 1, asideCount, "later segments and the bad tail are kept aside");

        // the log is consistent again: a second replay is clean, and new writes replay after the good prefix
        try (Wal wal = Wal.open(dir, opts)) {
            ReplayStats stats = wal.replay(new Recorded());
            assertEquals(0, stats.tornBytesTruncated());
            WalBatch b = new WalBatch();
            b.sample(7, 7, 7);
            wal.write(b);
        }
        Recorded after = Recorded.replay(dir, opts);
        assertEquals(expected.samples.size() + 1, after.samples.size());
        assertEquals(0, after.stats.tornBytesTruncated());
    }

    @Test
    void badCrcFollowedByGoodRecordsInTheLastSegmentKeepsTheRestAside() throws IOException {
        WalOptions big = Recorded.opts(1 << 20);
        long[] recordEnds = new long[40];
        try (Wal wal = Wal.open(dir, big)) {
            wal.replay(new Recorded());
            WalBatch b = new WalBatch();
            for (int i = 0; i < recordEnds.length; i++) {
                b.clear();
                for (int k = 0; k < 10; k++) b.sample(i, k, k);
                wal.write(b);
                recordEnds[i] = wal.sizeBytes();
            }
        }
        Path file = WalFiles.segment(dir, 0);
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) recordEnds[9] + RecordFormat.RECORD_HEADER_BYTES + 3] ^= 1; // inside record 10's payload
        Files.write(file, bytes);

        Recorded r = Recorded.replay(dir, big);
        assertEquals(100, r.samples.size(), "records 0..9");
        assertEquals(bytes.length - recordEnds[9], r.stats.tornBytesTruncated());
        assertEquals(recordEnds[9], Files.size(file));
        try (Stream<Path> files = Files.list(dir)) {
            Path aside = files.filter(p -> p.getFileName().toString().contains(".tail.corrupt-")).findFirst()
                    .orElseThrow();
            assertEquals(bytes.length - recordEnds[9], Files.size(aside), "the damaged rest is kept, not dropped");
        }
    }

    @Test
    void foreignFileWithBadHeaderInTheMiddleIsSetAside() throws IOException {
        try (Wal wal = Wal.open(dir, opts)) {
            wal.replay(new Recorded());
            WalBatch b = new WalBatch();
            for (int i = 0; i < 100; i++) {
                b.clear();
                b.sample(1, i, i);
                wal.write(b);
            }
        }
        List<Long> segments = WalFiles.segments(dir);
        Files.write(WalFiles.segment(dir, segments.get(0)), "not a wal segment".getBytes());
        Recorded r = Recorded.replay(dir, opts);
        assertEquals(0, r.samples.size());
        assertEquals(List.of(segments.get(0)), WalFiles.segments(dir), "only the emptied first segment remains");
        assertEquals(0, Files.size(WalFiles.segment(dir, segments.get(0))));
    }
}
