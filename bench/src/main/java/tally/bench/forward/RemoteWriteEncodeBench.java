package tally.bench.forward;

import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Warmup;
import org.xerial.snappy.Snappy;
import tally.forward.wire.Payload;
import tally.forward.wire.ProtobufMessage;
import tally.forward.wire.RemoteWriteEncoder;
import tally.forward.wire.SendBatch;
import tally.model.Labels;
import tally.model.MetricMetadata;

/**
 * Remote-write out (issue 14): one shard's request of {@code max_samples_per_send} = 2,000 samples over 500 series
 * (4 samples each, 15 s apart; 8 labels per series, node-exporter-like), encoded and snappy-compressed by the
 * hand-written encoders. {@code encode}: into the encoder's reused buffers (what a shard sends); {@code encodeCopy}:
 * the same plus a byte[] of the body; {@code fillAndEncode}: the shard's whole part, {@link SendBatch#add} of the
 * 2,000 samples, then encode; {@code snappyOnly}: compression alone of the same message, for the split.
 * Run with {@code -prof gc}. On a busy machine, {@link #main} gives the same operations' thread CPU time and
 * allocation per operation ({@code java -cp bench/target/benchmarks.jar tally.bench.forward.RemoteWriteEncodeBench}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
public class RemoteWriteEncodeBench {
    static final int SERIES = 500;
    static final int SAMPLES_PER_SERIES = 4;

    @Param({"V1", "V2"})
    public String message;

    private RemoteWriteEncoder encoder;
    private final SendBatch batch = new SendBatch();
    private Labels[] labels;
    private MetricMetadata[] metadata;
    private double[] values;
    private byte[] raw;
    private byte[] compressed;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        encoder = RemoteWriteEncoder.of(ProtobufMessage.valueOf(message));
        labels = new Labels[SERIES];
        metadata = new MetricMetadata[SERIES];
        values = new double[SERIES * SAMPLES_PER_SERIES];
        String[] names = new String[25];
        for (int i = 0; i < names.length; i++) names[i] = "node_subsystem_" + i + "_operations_total";
        SplittableRandom r = new SplittableRandom(14);
        for (int s = 0; s < SERIES; s++) {
            String name = names[s % names.length];
            labels[s] = Labels.of("__name__", name, "job", "node", "instance", "10.0.0." + (s % 20) + ":9100", "cluster", "eu-west-1",
                    "device", "sd" + (char) ('a' + s / 100), "mode", s % 3 == 0 ? "user" : "system", "cpu", Integer.toString(s % 8));
            metadata[s] = new MetricMetadata("counter", "Operations of subsystem " + (s % names.length) + " since boot.", "");
        }
        for (int i = 0; i < values.length; i++) values[i] = Math.floor(r.nextDouble() * 1e6) / 100;
        fill();
        Payload p = encoder.encode(batch);
        compressed = p.toByteArray();
        raw = Snappy.uncompress(compressed);
        System.err.printf("%s: %d series, %d samples, message %d bytes (%.1f B/sample), compressed %d bytes (%.1f B/sample)%n",
                message, p.series(), p.samples(), p.uncompressedLength(), p.uncompressedLength() / (double) p.samples(), p.length(),
                p.length() / (double) p.samples());
    }

    private void fill() {
        batch.clear();
        long t0 = 1_795_294_432_756L;
        for (int k = 0; k < SAMPLES_PER_SERIES; k++) {
            for (int s = 0; s < SERIES; s++) { // interleaved by time, as a WAL tail delivers them
                batch.add(s + 1000L, labels[s], metadata[s], t0 + k * 15_000L, values[s * SAMPLES_PER_SERIES + k]);
            }
        }
    }

    /** Thread CPU time and bytes allocated per operation, after a warm-up: numbers that hold while others use the machine. */
    public static void main(String[] args) throws Exception {
        int ops = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        com.sun.management.ThreadMXBean amx = (com.sun.management.ThreadMXBean) mx;
        for (int round = 0; round < 3; round++) {
            for (String m : new String[] {"V1", "V2"}) {
                RemoteWriteEncodeBench b = new RemoteWriteEncodeBench();
                b.message = m;
                b.setup();
                String[] names = {"encode", "encodeCopy", "fillAndEncode", "snappyOnly"};
                StringBuilder line = new StringBuilder(m);
                for (String name : names) {
                    long sink = 0;
                    for (int i = 0; i < ops / 4; i++) sink += b.run(name); // warm-up
                    long cpu0 = mx.getCurrentThreadCpuTime(), alloc0 = amx.getCurrentThreadAllocatedBytes();
                    for (int i = 0; i < ops; i++) sink += b.run(name);
                    long cpu = mx.getCurrentThreadCpuTime() - cpu0, alloc = amx.getCurrentThreadAllocatedBytes() - alloc0;
                    line.append(String.format("  %s %.1f us %.0f B/op", name, cpu / 1e3 / ops, (double) alloc / ops));
                    if (sink == 42) System.out.print("");
                }
                System.out.println((round < 2 ? "(warm-up) " : "") + line);
            }
        }
    }

    private long run(String name) throws Exception {
        return switch (name) {
            case "encode" -> encode();
            case "encodeCopy" -> encodeCopy().length;
            case "fillAndEncode" -> fillAndEncode();
            default -> snappyOnly();
        };
    }

    @Benchmark
    public int encode() {
        return encoder.encode(batch).length();
    }

    @Benchmark
    public byte[] encodeCopy() {
        return encoder.encodeCompressed(batch);
    }

    @Benchmark
    public int fillAndEncode() {
        fill();
        return encoder.encode(batch).length();
    }

    @Benchmark
    public int snappyOnly() throws Exception {
        return Snappy.compress(raw, 0, raw.length, compressed.length >= Snappy.maxCompressedLength(raw.length) ? compressed
                : (compressed = new byte[Snappy.maxCompressedLength(raw.length)]), 0);
    }
}
