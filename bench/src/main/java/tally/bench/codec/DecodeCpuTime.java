package tally.bench.codec;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import tally.storage.chunk.ChunkEncodings;
import tally.storage.chunk.ChunkIterator;

/**
 * Sealed-chunk decode cost in thread-CPU ns/sample: the minimum over many repetitions, which stays readable on
 * a machine shared with other builds, where JMH's wall-clock intervals are wider than the differences.
 * Run: java -cp bench/target/benchmarks.jar tally.bench.codec.DecodeCpuTime
 */
public final class DecodeCpuTime {
    private static final int SAMPLES = 44_400;
    private static final int WARMUP = 100;
    private static final int MEASURED = 300;

    private DecodeCpuTime() {}

    public static void main(String[] args) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (String shape : new String[] {"claude37", "claude120", "claudeDelta", "synth120"}) {
            List<Series> data = shape(shape);
            byte[][] sealed = new byte[data.size()][];
            long samples = 0;
            for (int k = 0; k < sealed.length; k++) {
                Series s = data.get(k);
                sealed[k] = ChunkEncodings.encode(s.t, s.v, s.size(), 0, 0);
                samples += s.size();
            }
            ChunkIterator it = new ChunkIterator();
            double sink = 0;
            long best = Long.MAX_VALUE;
            for (int rep = 0; rep < WARMUP + MEASURED; rep++) {
                long t0 = mx.getCurrentThreadCpuTime();
                for (byte[] c : sealed) {
                    it.reset(c, 0, c.length);
                    while (it.next()) {
                        sink += it.atV() + it.atT();
                    }
                }
                long elapsed = mx.getCurrentThreadCpuTime() - t0;
                if (rep >= WARMUP) {
                    best = Math.min(best, elapsed);
                }
            }
            System.out.printf("%-12s %6.2f ns/sample (checksum %s)%n", shape, (double) best / samples, Double.toHexString(sink));
        }
    }

    private static List<Series> shape(String name) {
        switch (name) {
            case "claude37": return Workloads.claude(37, SAMPLES / 37, 7);
            case "claude120": return Workloads.claude(120, SAMPLES / 120, 7);
            case "claudeDelta": return Workloads.claudeSessions(120, SAMPLES, false, 7);
            default: return Workloads.synthetic(120, SAMPLES / 120, 7);
        }
    }
}
