package tally.bench.codec;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tally.bench.JvmFlags;
import tally.storage.chunk.ChunkEncoder;
import tally.storage.chunk.ChunkEncodings;
import tally.storage.chunk.ChunkIterator;

/**
 * Encode and decode cost per sample of the chunk codec. Every shape holds exactly {@link #SAMPLES}
 * samples, so the scores are ns/sample and -prof gc's gc.alloc.rate.norm is bytes/sample.
 * java -jar bench/target/benchmarks.jar ChunkCodecBench -f 1 -wi 2 -i 3 -prof gc
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.ADD_OPENS_1, JvmFlags.ADD_OPENS_2, JvmFlags.ADD_EXPORTS_1,
    JvmFlags.ADD_EXPORTS_2, JvmFlags.NO_ANALYTICS, "-Xmx1g"})
public class ChunkCodecBench {
    static final int SAMPLES = 44_400;

    /**
     * claudeN: Claude Code counters (cumulative temporality) in chunks of N samples; claudeDelta: whole sessions in
     * Claude Code's default delta temporality, chunks cut at 120; synth120: 2-decimal gauges + counters.
     */
    @Param({"claude37", "claude120", "claudeDelta", "synth120"})
    public String shape;

    private List<Series> data;
    private byte[][] sealed;
    private byte[][] sealedXor;
    private final ChunkEncoder encoder = new ChunkEncoder();
    private final ChunkIterator iterator = new ChunkIterator();

    @Setup
    public void setup() {
        switch (shape) {
            case "claude37": data = Workloads.claude(37, SAMPLES / 37, 7); break;
            case "claude120": data = Workloads.claude(120, SAMPLES / 120, 7); break;
            case "claudeDelta": data = firstSamples(Workloads.claudeSessions(120, SAMPLES, false, 7), SAMPLES); break;
            case "synth120": data = Workloads.synthetic(120, SAMPLES / 120, 7); break;
            default: throw new IllegalArgumentException(shape);
        }
        sealed = new byte[data.size()][];
        sealedXor = new byte[data.size()][];
        for (int k = 0; k < data.size(); k++) {
            Series s = data.get(k);
            sealed[k] = ChunkEncodings.encode(s.t, s.v, s.size(), 0, 0);
            sealedXor[k] = ChunkEncodings.encode(s.t, s.v, s.size(), ChunkEncodings.TS_DOD_PROM, ChunkEncodings.VAL_XOR);
        }
    }

    /** The leading series holding exactly {@code total} samples (the last one shortened), so scores stay per sample. */
    private static List<Series> firstSamples(List<Series> all, int total) {
        List<Series> out = new java.util.ArrayList<>();
        int left = total;
        for (Series s : all) {
            if (left == 0) {
                break;
            }
            Series c = s.size() <= left ? s : s.prefix(left);
            out.add(c);
            left -= c.size();
        }
        return out;
    }

    /** The head's hot path: appends into a reused open chunk (no sealing). */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public long append() {
        long size = 0;
        ChunkEncoder e = encoder;
        for (Series s : data) {
            e.reset();
            long[] t = s.t;
            double[] v = s.v;
            for (int i = 0; i < t.length; i++) {
                e.append(t[i], v[i]);
            }
            size += e.sizeBytes();
        }
        return size;
    }

    /** Append plus toBytes(): the full cost of producing sealed chunks with the automatic choice. */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public long appendAndSeal() {
        long size = 0;
        ChunkEncoder e = encoder;
        for (Series s : data) {
            e.reset();
            long[] t = s.t;
            double[] v = s.v;
            for (int i = 0; i < t.length; i++) {
                e.append(t[i], v[i]);
            }
            size += e.toBytes().length;
        }
        return size;
    }

    /** The Prometheus-style baseline (XOR values, Prometheus timestamp buckets), sealed. */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public long encodeXorBaseline() {
        long size = 0;
        for (Series s : data) {
            size += ChunkEncodings.encode(s.t, s.v, s.size(), ChunkEncodings.TS_DOD_PROM, ChunkEncodings.VAL_XOR).length;
        }
        return size;
    }

    /** Query hot path: decode every sealed (automatic) chunk. */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public double decode() {
        return decodeAll(sealed);
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public double decodeXorBaseline() {
        return decodeAll(sealedXor);
    }

    /** Decode through open-chunk snapshots (what a query over the head does). */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public double decodeOpenSnapshot() {
        double sum = 0;
        ChunkEncoder e = encoder;
        for (Series s : data) {
            e.reset();
            long[] t = s.t;
            double[] v = s.v;
            for (int i = 0; i < t.length; i++) {
                e.append(t[i], v[i]);
            }
            ChunkIterator it = e.iterator(iterator);
            while (it.next()) {
                sum += it.atV();
            }
        }
        return sum;
    }

    private double decodeAll(byte[][] chunks) {
        double sum = 0;
        long ts = 0;
        ChunkIterator it = iterator;
        for (byte[] c : chunks) {
            it.reset(c, 0, c.length);
            while (it.next()) {
                sum += it.atV();
                ts += it.atT();
            }
        }
        return sum + ts;
    }
}
