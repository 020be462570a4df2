package tally.storage.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/** The capacities a block's maps were created with (Chronicle fixes them in the file; the store rolls over on them). */
record GenerationMeta(long chunkEntries, double avgChunkValue, long seriesEntries, double avgSeriesValue) {
    static final String FILE = "gen.properties";

    /** Roll over when the values stored exceed this share of what the map was sized for. */
    long chunkByteBudget() {
        return (long) (chunkEntries * avgChunkValue * 1.5);
    }

    void write(Path dir) throws IOException {
        Properties p = new Properties();
        p.setProperty("chunkEntries", Long.toString(chunkEntries));
        p.setProperty("avgChunkValue", Double.toString(avgChunkValue));
        p.setProperty("seriesEntries", Long.toString(seriesEntries));
        p.setProperty("avgSeriesValue", Double.toString(avgSeriesValue));
        Path tmp = dir.resolve(FILE + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "Tally block capacities");
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static GenerationMeta read(Path dir) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve(FILE))) {
            p.load(in);
        }
        return new GenerationMeta(Long.parseLong(p.getProperty("chunkEntries")),
                Double.parseDouble(p.getProperty("avgChunkValue")),
                Long.parseLong(p.getProperty("seriesEntries")),
                Double.parseDouble(p.getProperty("avgSeriesValue")));
    }
}
