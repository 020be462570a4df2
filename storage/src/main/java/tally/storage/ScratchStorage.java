package tally.storage;

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

/** A {@link TallyStorage} whose close discards its data and deletes its directory (see {@link TallyStorage#scratch}). */
final class ScratchStorage implements Storage {
    private final TallyStorage storage;
    private final Path dir;

    ScratchStorage(TallyStorage storage, Path dir) {
        this.storage = storage;
        this.dir = dir;
    }

    @Override
    public Appender appender() {
        return storage.appender();
    }

    @Override
    public Querier querier(long mint, long maxt) {
        return storage.querier(mint, maxt);
    }

    @Override
    public void putMetadata(String metric, MetricMetadata metadata) {
        storage.putMetadata(metric, metadata);
    }

    @Override
    public Map<String, List<MetricMetadata>> metadata() {
        return storage.metadata();
    }

    @Override
    public void close() {
        try {
            storage.discard();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("discarding scratch storage " + dir + " failed", e);
        }
    }
}
