package tally.bench.wal;

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
import org.openjdk.jmh.infra.Blackhole;
import tally.bench.JvmFlags;
import tally.model.Labels;
import tally.storage.wal.FsyncPolicy;
import tally.storage.wal.ReplayStats;
import tally.storage.wal.Wal;
import tally.storage.wal.WalBatch;
import tally.storage.wal.WalOptions;
import tally.storage.wal.WalReplayHandler;

/**
 * WAL write and replay throughput, in samples per second (each op is one sample).
 * {@code java -jar bench/target/benchmarks.jar WalBench -f 1 -wi 2 -i 3 -prof gc}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.ADD_OPENS_1, JvmFlags.ADD_OPENS_2, JvmFlags.ADD_EXPORTS_1,
        JvmFlags.ADD_EXPORTS_2, JvmFlags.NO_ANALYTICS, "-Xmx1g"})
public class WalBench {
    static final int SERIES = 10_000;

    /** A batch like one remote-write request: distinct series, one scrape timestamp, 2-decimal gauge values. */
    static WalBatch batch(int samples, long seed) {
        Random rnd = new Random(seed);
        WalBatch b = new WalBatch();
        long t = 1_763_700_000_000L;
        int first = rnd.nextInt(SERIES);
        for (int i = 0; i < samples; i++) {
            b.sample((first + i) % SERIES, t + rnd.nextInt(3), Math.round(rnd.nextDouble() * 1e6) / 100.0);
        }
        return b;
    }

    @State(Scope.Benchmark)
    public static class Writer {
        @Param({"NEVER", "INTERVAL"})
        public FsyncPolicy fsync;

        Path dir;
        Wal wal;
        WalBatch batch100;
        WalBatch batch1000;

        @Setup(Level.Trial)
        public void open() throws IOException {
            dir = Files.createTempDirectory("tally-walbench-");
            wal = Wal.open(dir, new WalOptions(64L << 20, fsync, 1000));
            wal.replay(new Counter());
            batch100 = batch(100, 1);
            batch1000 = batch(1000, 2);
        }

        /** Keeps the disk bounded the way the head does: a checkpoint drops the old segments. */
        @TearDown(Level.Iteration)
        public void checkpoint() throws IOException {
            wal.checkpoint(b -> {});
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            wal.close();
            deleteTree(dir);
        }
    }

    @State(Scope.Benchmark)
    public static class Replay {
        static final int BATCHES = 2_000;
        static final int SAMPLES = BATCHES * 1000;
        Path dir;

        @Setup(Level.Trial)
        public void fill() throws IOException {
            dir = Files.createTempDirectory("tally-walreplay-");
            try (Wal wal = Wal.open(dir, new WalOptions(64L << 20, FsyncPolicy.NEVER, 1000))) {
                wal.replay(new Counter());
                WalBatch b = new WalBatch();
                for (int s = 0; s < SERIES; s++) {
                    b.series(s, Labels.of("__name__", "claude_code_token_usage_tokens_total",
                            "session_id", "6f1c2a9e-" + s, "type", "input", "model", "claude-sonnet-4"));
                }
                wal.write(b);
                Random rnd = new Random(3);
                for (int i = 0; i < BATCHES; i++) wal.write(batch(1000, rnd.nextLong()));
                System.out.printf("%nreplay fixture: %d samples, %d series, %.1f MB%n", SAMPLES, SERIES,
                        wal.sizeBytes() / 1e6);
            }
        }

        @TearDown(Level.Trial)
        public void delete() throws IOException {
            deleteTree(dir);
        }
    }

    /** Counts instead of storing, so the benchmark measures the WAL, not a head. */
    static final class Counter implements WalReplayHandler {
        long series;
        long samples;
        long sum;

        @Override
        public void series(long seriesId, Labels labels) { series++; }

        @Override
        public void sample(long seriesId, long t, double v) {
            samples++;
            sum += seriesId ^ t;
        }
    }

    @Benchmark
    @OperationsPerInvocation(100)
    public void write100(Writer w) throws IOException {
        w.wal.write(w.batch100);
    }

    @Benchmark
    @OperationsPerInvocation(1000)
    public void write1000(Writer w) throws IOException {
        w.wal.write(w.batch1000);
    }

    /** Open + replay of {@value Replay#SAMPLES} samples; ops/s is samples/s. */
    @Benchmark
    @OperationsPerInvocation(Replay.SAMPLES)
    public void replay(Replay r, Blackhole bh) throws IOException {
        Counter c = new Counter();
        try (Wal wal = Wal.open(r.dir, new WalOptions(64L << 20, FsyncPolicy.NEVER, 1000))) {
            ReplayStats stats = wal.replay(c);
            bh.consume(stats);
        }
        if (c.samples != Replay.SAMPLES) throw new IllegalStateException("replayed " + c.samples);
        bh.consume(c.sum);
    }

    static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
