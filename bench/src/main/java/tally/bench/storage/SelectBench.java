package tally.bench.storage;

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
import org.openjdk.jmh.infra.Blackhole;
import tally.bench.JvmFlags;
import tally.model.Appender;
import tally.model.Labels;
import tally.model.MatchType;
import tally.model.Matcher;
import tally.model.Querier;
import tally.model.SampleIterator;
import tally.model.SelectHints;
import tally.model.SeriesSet;
import tally.storage.StorageOptions;
import tally.storage.TallyStorage;

/**
 * Select + iterate over Claude Code-shaped data persisted in the store: sessions of 12 token
 * series with 37 samples at 60 s, spread over one day. Measures a metric-wide select (every
 * series of the day) and a selective one (one model and type).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.ADD_OPENS_1, JvmFlags.ADD_OPENS_2, JvmFlags.ADD_EXPORTS_1,
        JvmFlags.ADD_EXPORTS_2, JvmFlags.NO_ANALYTICS, "-Xmx4g"})
public class SelectBench {
    static final long DAY = 86_400_000L;
    static final long T0 = 1_700_006_400_000L - (1_700_006_400_000L % DAY);

    @Param({"100000"})
    int series;

    Path dir;
    TallyStorage storage;
    long samples;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        dir = Files.createTempDirectory("tally-select-bench");
        StorageOptions o = StorageOptions.defaults(dir).withIdleSeriesMillis(600_000);
        storage = TallyStorage.open(o);
        Random r = new Random(5);
        Appender a = storage.appender();
        int sessions = series / 12;
        for (int s = 0; s < sessions; s++) {
            Labels[] ls = ClaudeSeries.session(r, r.nextInt(500));
            long start = T0 + (long) s * (DAY - 40 * 60_000L) / sessions;
            for (Labels l : ls) {
                double v = 0;
                for (int k = 0; k < 37; k++) {
                    v += r.nextInt(4) == 0 ? 0 : r.nextInt(3000);
                    a.append(0, l, start + k * 60_000L + 1, v);
                    samples++;
                }
            }
            a.commit();
        }
        // a late sample moves data time on so every session is idle and flushed to the store
        a.append(0, Labels.of("__name__", "clock"), T0 + 2 * DAY, 1);
        a.commit();
        storage.flush();
    }

    @Benchmark
    public long selectAllTokenSeries(Blackhole bh) {
        return scan(bh, List.of(Matcher.metricName("claude_code_token_usage_tokens_total")));
    }

    @Benchmark
    public long selectOneModelAndType(Blackhole bh) {
        return scan(bh, List.of(Matcher.metricName("claude_code_token_usage_tokens_total"),
                Matcher.equal("model", "claude-opus-4-1"), Matcher.of(MatchType.REGEX, "type", "input|output")));
    }

    private long scan(Blackhole bh, List<Matcher> matchers) {
        long n = 0;
        try (Querier q = storage.querier(T0, T0 + DAY)) {
            SeriesSet set = q.select(false, SelectHints.range(T0, T0 + DAY), matchers);
            SampleIterator it = null;
            while (set.next()) {
                it = set.at().iterator(it);
                while (it.next()) {
                    bh.consume(it.atV());
                    n++;
                }
            }
        }
        return n;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        storage.close();
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
