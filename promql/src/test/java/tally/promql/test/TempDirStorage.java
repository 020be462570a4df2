package tally.promql.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tally.model.Appender;
import tally.model.MetricMetadata;
import tally.model.Querier;
import tally.model.Storage;
import tally.storage.StorageOptions;
import tally.storage.TallyStorage;

/** Tally's real storage in a fresh temporary directory, deleted again on close: one per script run or clear. */
final class TempDirStorage implements Storage {
    private final Path dir;
    private final TallyStorage storage;

    private TempDirStorage(Path dir, TallyStorage storage) {
        this.dir = dir;
        this.storage = storage;
    }

    static TempDirStorage open() {
        try {
            Path dir = Files.createTempDirectory("tally-promqltest");
            return new TempDirStorage(dir, TallyStorage.open(StorageOptions.defaults(dir)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override public Appender appender() { return storage.appender(); }
    @Override public Querier querier(long mint, long maxt) { return storage.querier(mint, maxt); }
    @Override public void putMetadata(String metric, MetricMetadata metadata) { storage.putMetadata(metric, metadata); }
    @Override public Map<String, List<MetricMetadata>> metadata() { return storage.metadata(); }

    @Override
    public void close() {
        try {
            storage.close();
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
