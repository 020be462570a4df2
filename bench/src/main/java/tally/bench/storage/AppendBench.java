package tally.bench.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tally.bench.JvmFlags;
import tally.model.Appender;
import tally.model.Labels;
import tally.storage.StorageOptions;
import tally.storage.TallyStorage;

/**
 * Append throughput of the whole storage (appender -> WAL -> head chunks, with the background
 * flusher running): batches of 1,000 samples, one per series, across a fixed set of series at a
 * 15 s interval, half random-walk gauges with 2 decimals and half integer counters.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.ADD_OPENS_1, JvmFlags.ADD_OPENS_2, JvmFlags.ADD_EXPORTS_1,
        JvmFlags.ADD_EXPORTS_2, JvmFlags.NO_ANALYTICS, "-Xmx2g"})
public class AppendBench {
    static final int BATCH = 1000;

    @Param({"10000"})
    int series;

    Path dir;
    TallyStorage storage;
    Appender appender;
    Labels[] labels;
    long[] refs;
    double[] values;
    long t;
    int next;
    Random random;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        dir = Files.createTempDirectory("tally-append-bench");
        storage = TallyStorage.open(StorageOptions.defaults(dir));
        appender = storage.appender();
        labels = new Labels[series];
        refs = new long[series];
        values = new double[series];
        for (int i = 0; i < series; i++) {
            labels[i] = Labels.of("__name__", i % 2 == 0 ? "bench_gauge" : "bench_counter_total",
                    "instance", "host-" + (i / 100), "job", "bench", "series", Integer.toString(i));
        }
        random = new Random(1);
        t = 1_700_000_000_000L;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void appendBatch() {
        for (int k = 0; k < BATCH; k++) {
            int i = next++;
            if (next == series) {
                next = 0;
                t += 15_000;
            }
            double v = values[i];
            v = i % 2 == 0 ? Math.round((v + random.nextGaussian()) * 100) / 100.0 : v + random.nextInt(10);
            values[i] = v;
            refs[i] = appender.append(refs[i], labels[i], t, v);
        }
        appender.commit();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        storage.close();
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
