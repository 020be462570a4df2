package tally.bench.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
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
import tally.model.Labels;
import tally.model.MatchType;
import tally.model.Matcher;
import tally.storage.store.ChunkCursor;
import tally.storage.store.ChunkStore;
import tally.storage.store.StoreOptions;
import tally.storage.store.StoreReader;
import tally.storage.store.StoredSeries;

/**
 * Chunk store throughput: writes, and queries over one day partition holding 100k Claude-like series
 * (one ~40-byte chunk each), either still being written (in-memory index, Chronicle Map) or sealed
 * (compact index file, flat chunk file).
 */
@Fork(value = 1, jvmArgsAppend = {JvmFlags.ADD_OPENS_1, JvmFlags.ADD_OPENS_2, JvmFlags.ADD_EXPORTS_1,
        JvmFlags.ADD_EXPORTS_2, JvmFlags.NO_ANALYTICS, "-Xmx2g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class StoreBench {
    static final long DAY = StoreOptions.DAY_MILLIS;
    static final long T0 = 20_000 * DAY;

    static void deleteTree(Path dir) throws IOException {
        IndexSizeReport.deleteTree(dir);
    }

    /** A store that takes chunks of ~200 bytes for 100k existing series, round after round. */
    @State(Scope.Benchmark)
    public static class WriteState {
        Path dir;
        ChunkStore store;
        List<Labels> series;
        byte[][] chunks;
        int next;
        long round;

        @Setup(Level.Trial)
        public void setup() throws IOException {
            dir = Files.createTempDirectory("tally-store-bench-w");
            store = ChunkStore.open(dir, new StoreOptions(DAY, 90 * DAY, 0, 200_000, 2_000_000));
            series = ClaudeSeries.generate(100_000, 1000, 7);
            Random r = new Random(3);
            chunks = new byte[64][];
            for (int i = 0; i < chunks.length; i++) chunks[i] = ClaudeSeries.chunk(r, 150 + r.nextInt(100));
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            store.close();
            deleteTree(dir);
        }
    }

    /** Many writer threads share the store, as ingest threads do. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void writeChunk(WriteState s) {
        int i;
        long round;
        synchronized (s) {
            i = s.next++;
            if (s.next == s.series.size()) {
                s.next = 0;
                s.round++;
            }
            round = s.round;
        }
        long minT = T0 + round * 120_000 + (i % 1000);
        s.store.write(i, s.series.get(i), s.chunks[i & 63], minT, minT + 119_000);
    }

    /** 100k series, one chunk each, in one day partition. */
    @State(Scope.Benchmark)
    public static class QueryState {
        @Param({"open", "sealed"})
        public String block;

        Path dir;
        ChunkStore store;
        List<Labels> series;
        Random pick = new Random(11);

        @Setup(Level.Trial)
        public void setup() throws IOException {
            dir = Files.createTempDirectory("tally-store-bench-q");
            store = ChunkStore.open(dir, StoreOptions.defaults());
            series = ClaudeSeries.generate(100_000, 1000, 42);
            Random r = new Random(1);
            for (int i = 0; i < series.size(); i++) {
                long minT = T0 + (long) i * 600;
                store.write(i, series.get(i), ClaudeSeries.chunk(r, 36 + r.nextInt(9)), minT, minT + 40 * 60_000);
            }
            if (block.equals("sealed")) store.sealPartitionsEndingBefore(T0 + DAY);
        }

        String randomSession() {
            return series.get(pick.nextInt(series.size())).get("session_id");
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            store.close();
            deleteTree(dir);
        }
    }

    private static long drain(List<StoredSeries> got) {
        long bytes = 0;
        for (StoredSeries s : got) {
            ChunkCursor c = s.chunks(Long.MIN_VALUE, Long.MAX_VALUE);
            while (c.next()) bytes += c.length() + c.array()[c.offset()];
        }
        return bytes;
    }

    /** ~16k series (all token-usage series of the day), select + iterate every chunk. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long selectMetricName(QueryState s) {
        try (StoreReader r = s.store.reader(T0, T0 + DAY)) {
            return drain(r.select(List.of(Matcher.metricName("claude_code_token_usage_tokens_total")), false));
        }
    }

    /** ~5k series: one metric and one model, sorted, as a dashboard panel asks. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long selectMetricAndModelSorted(QueryState s) {
        try (StoreReader r = s.store.reader(T0, T0 + DAY)) {
            return drain(r.select(List.of(Matcher.metricName("claude_code_token_usage_tokens_total"),
                    Matcher.equal("model", ClaudeSeries.MODELS[0]), Matcher.of(MatchType.NOT_EQUAL, "type", "output")), true));
        }
    }

    /** One session's ~25 series. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long selectSession(QueryState s) {
        try (StoreReader r = s.store.reader(T0, T0 + DAY)) {
            return drain(r.select(List.of(Matcher.equal("session_id", s.randomSession())), false));
        }
    }

    /** /api/v1/label/session_id/values without matchers: the day's 4k session ids. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int labelValuesSessionId(QueryState s) {
        try (StoreReader r = s.store.reader(T0, T0 + DAY)) {
            return r.labelValues("session_id", List.of()).size();
        }
    }

    /** /api/v1/label/model/values?match[]=tokens: values over ~16k matching series. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int labelValuesModelForMetric(QueryState s) {
        try (StoreReader r = s.store.reader(T0, T0 + DAY)) {
            return r.labelValues("model", List.of(Matcher.metricName("claude_code_token_usage_tokens_total"))).size();
        }
    }
}
