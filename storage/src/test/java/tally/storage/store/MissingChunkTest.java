package tally.storage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tally.storage.store.StoreTestSupport.DAY;
import static tally.storage.store.StoreTestSupport.all;
import static tally.storage.store.StoreTestSupport.chunk;
import static tally.storage.store.StoreTestSupport.claude;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.map.ChronicleMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Labels;

/**
 * A chunk the index lists but the block's files lost is an error naming the series and the block, counted in
 * {@link StoreStats#missingChunks()}, never a silent gap in the answer. The cursor goes on with the next chunk.
 */
class MissingChunkTest {
    @TempDir
    Path tmp;

    private static void writeSeries(ChunkStore s, int n) {
        for (int i = 0; i < n; i++) {
            Labels l = claude("m", "sess" + i, "opus");
            s.write(i, l, chunk(l, 1000), 1000, 1100);
            s.write(i, l, chunk(l, 2000), 2000, 2100);
        }
    }

    /** Reads every chunk of every series; returns the errors met, one per missing chunk. */
    private static List<MissingChunkException> readEverything(ChunkStore s, int[] chunksRead) {
        List<MissingChunkException> missing = new ArrayList<>();
        try (StoreReader r = s.reader(0, DAY)) {
            for (StoredSeries series : r.select(all(), true)) {
                ChunkCursor c = series.chunks(0, DAY);
                while (true) {
                    try {
                        if (!c.next()) break;
                        assertEquals(new String(chunk(series.labels(), c.minT())),
                                new String(c.array(), c.offset(), c.length()), "the chunks that are there read right");
                        chunksRead[0]++;
                    } catch (MissingChunkException e) {
                        assertTrue(e.getMessage().contains(series.labels().toString()), "names the series: " + e.getMessage());
                        missing.add(e);
                    }
                }
            }
        }
        return missing;
    }

    @Test
    void chunkCutFromASealedBlocksFileFailsItsReadAndIsCounted() throws Exception {
        Path dir = tmp.resolve("store");
        try (ChunkStore s = ChunkStore.open(dir, StoreTestSupport.tiny())) {
            writeSeries(s, 3);
            s.sealPartitionsEndingBefore(DAY);
        }
        Path block = dir.resolve("p_0").resolve("g0");
        Path chunkFile = block.resolve(Generation.CHUNK_FILE);
        try (FileChannel ch = FileChannel.open(chunkFile, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 1); // the last chunk of the file loses its last byte
        }
        try (ChunkStore s = ChunkStore.open(dir, StoreTestSupport.tiny())) {
            int[] read = {0};
            List<MissingChunkException> missing = readEverything(s, read);
            assertEquals(1, missing.size(), "exactly the cut chunk");
            assertEquals(5, read[0], "every other chunk, including those after it in the same series");
            assertTrue(missing.get(0).getMessage().contains(block.toString()), "names the block: " + missing.get(0).getMessage());
            assertEquals(1, s.stats().missingChunks());
            readEverything(s, read);
            assertEquals(2, s.stats().missingChunks(), "counted on every read");
        }
    }

    @Test
    void chunkGoneFromABlockStillWrittenFailsItsRead() throws Exception {
        Path dir = tmp.resolve("store");
        try (ChunkStore s = ChunkStore.open(dir, StoreTestSupport.tiny())) {
            writeSeries(s, 3);
            Path block = dir.resolve("p_0").resolve("g0");
            GenerationMeta meta = GenerationMeta.read(block);
            // the damage: a chunk of series 1 vanishes from the map file under the open store (a second mapping of it)
            try (ChronicleMap<Long, byte[]> map = ChronicleMaps.chunks(block.resolve(Generation.CHUNKS).toFile(),
                    meta.chunkEntries(), meta.avgChunkValue(), false, false)) {
                assertFalse(map.remove(ChunkValue.key(1, 0)) == null, "the chunk was there");
            }
            int[] read = {0};
            List<MissingChunkException> missing = readEverything(s, read);
            assertEquals(1, missing.size());
            assertEquals(5, read[0]);
            assertTrue(missing.get(0).getMessage().contains("sess1"), missing.get(0).getMessage());
            assertEquals(1, s.stats().missingChunks());
            // a query over the series fails instead of answering without the chunk's samples
            try (StoreReader r = s.reader(0, DAY)) {
                StoredSeries one = r.select(List.of(tally.model.Matcher.equal("session_id", "sess1")), true).get(0);
                assertThrows(MissingChunkException.class, () -> one.chunks(0, DAY).next());
            }
        }
    }
}
