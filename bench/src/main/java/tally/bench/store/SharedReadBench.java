package tally.bench.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tally.bench.JvmFlags;
import tally.bench.codec.Workloads;
import tally.model.MatchType;
import tally.model.Matcher;
import tally.storage.chunk.ChunkIterator;
import tally.storage.store.ChunkCursor;
import tally.storage.store.ChunkStore;
import tally.storage.store.StoreReader;
import tally.storage.store.StoredSeries;

/**
 * Reading every sample of a sealed block of whole Claude Code sessions (chunks cut at 120) through StoreReader
 * cursors and ChunkIterator, sealed with and without shared timelines. One operation reads all
 * {@code samples} samples printed at setup (100,323 delta in 3,796 series; 100,178 cumulative in 941): divide the scores by them.
 * java -jar bench/target/benchmarks.jar SharedReadBench -f 1 -wi 2 -i 3 -prof gc
 */
@Fork(value = 1, jvmArgsAppend = {JvmFlags.ADD_OPENS_1, JvmFlags.ADD_OPENS_2, JvmFlags.ADD_EXPORTS_1,
        JvmFlags.ADD_EXPORTS_2, JvmFlags.NO_ANALYTICS, "-Xmx1g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class SharedReadBench {
    @Param({"false", "true"})
    public boolean shared;

    @Param({"delta", "cumulative"})
    public String temporality;

    private Path dir;
    private ChunkStore store;
    private StoreReader reader;
    private List<StoredSeries> series;
    private final ChunkIterator it = new ChunkIterator();

    @Setup(Level.Trial)
    public void setup() throws IOException {
        System.setProperty("tally.seal.sharedTimelines", Boolean.toString(shared));
        dir = Files.createTempDirectory("tally-shared-read");
        store = SharedTimelineReport.sealedStore(dir,
            Workloads.claudeSessionSeries(120, 100_000, temporality.equals("cumulative"), 42));
        reader = store.reader(Long.MIN_VALUE, Long.MAX_VALUE);
        series = reader.select(List.of(Matcher.of(MatchType.REGEX, "__name__", ".+")), false);
        long samples = 0;
        for (StoredSeries s : series) {
            ChunkCursor c = s.chunks(Long.MIN_VALUE, Long.MAX_VALUE);
            while (c.next()) {
                it.reset(c.array(), c.offset(), c.length());
                while (it.next()) samples++;
            }
        }
        System.out.println("samples per operation: " + samples + ", series: " + series.size());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        reader.close();
        store.close();
        StoreBench.deleteTree(dir);
    }

    @Benchmark
    public double readAll() {
        double sum = 0;
        ChunkIterator i = it;
        for (StoredSeries s : series) {
            ChunkCursor c = s.chunks(Long.MIN_VALUE, Long.MAX_VALUE);
            while (c.next()) {
                i.reset(c.array(), c.offset(), c.length());
                while (i.next()) sum += i.atT() + i.atV();
            }
        }
        return sum;
    }
}
