package tally.bench.codec;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tally.storage.chunk.ChunkEncoder;
import tally.storage.chunk.ChunkEncodings;

/**
 * Prints bytes/sample of the chunk encodings on the Claude Code-like (a) and synthetic (b) workloads for
 * several chunk sizes. A forced encoding that cannot hold a chunk (decimal layouts on float sums) is
 * counted at the automatic choice's size, and the share of such chunks is shown.
 * Run: java -cp bench/target/benchmarks.jar tally.bench.codec.CodecSizeReport
 */
public final class CodecSizeReport {
    private static final int[] SIZES = {37, 120, 240, 480};
    private static final int[][] ENCODINGS = {
        {ChunkEncodings.TS_DOD_PROM, ChunkEncodings.VAL_XOR},
        {ChunkEncodings.TS_DOD_FINE, ChunkEncodings.VAL_XOR},
        {ChunkEncodings.TS_FOR, ChunkEncodings.VAL_XOR},
        {ChunkEncodings.TS_DOD_FINE, ChunkEncodings.VAL_DEC},
        {ChunkEncodings.TS_FOR, ChunkEncodings.VAL_DEC},
        {ChunkEncodings.TS_FOR, ChunkEncodings.VAL_DEC_FOR},
        {ChunkEncodings.TS_FOR, ChunkEncodings.VAL_SUM},
        {ChunkEncodings.TS_FOR, ChunkEncodings.VAL_SUM_FOR},
        {ChunkEncodings.TS_GRID, ChunkEncodings.VAL_DEC_FOR},
    };
    private static final int SAMPLES_PER_CELL = 480 * 200;

    private CodecSizeReport() {}

    public static void main(String[] args) {
        for (String workload : new String[] {"a", "b"}) {
            System.out.println("## workload (" + workload + ") " + (workload.equals("a")
                ? "Claude Code-like counters, 60 s" : "synthetic 2-decimal gauges + integer counters, 15 s"));
            StringBuilder head = new StringBuilder(String.format("%-16s", "encoding"));
            for (int size : SIZES) {
                head.append(String.format("%16s", "n=" + size));
            }
            System.out.println(head);
            String[] rows = new String[ENCODINGS.length + 1];
            for (int e = 0; e <= ENCODINGS.length; e++) {
                rows[e] = String.format("%-16s", e == ENCODINGS.length ? "auto" : name(ENCODINGS[e]));
            }
            Map<String, long[]> kinds = new TreeMap<>();
            for (int size : SIZES) {
                List<Series> data = workload.equals("a")
                    ? Workloads.claude(size, SAMPLES_PER_CELL / size, 42)
                    : Workloads.synthetic(size, SAMPLES_PER_CELL / size, 42);
                long samples = 0;
                long[] bytes = new long[ENCODINGS.length + 1];
                long[] fallbacks = new long[ENCODINGS.length];
                ChunkEncoder enc = new ChunkEncoder();
                for (Series s : data) {
                    samples += s.size();
                    enc.reset();
                    for (int i = 0; i < s.size(); i++) {
                        enc.append(s.t[i], s.v[i]);
                    }
                    int auto = enc.toBytes().length;
                    bytes[ENCODINGS.length] += auto;
                    if (size == 120) {
                        long[] k = kinds.computeIfAbsent(s.kind, x -> new long[2]);
                        k[0] += auto;
                        k[1] += s.size();
                    }
                    for (int e = 0; e < ENCODINGS.length; e++) {
                        byte[] c = ChunkEncodings.encode(s.t, s.v, s.size(), ENCODINGS[e][0], ENCODINGS[e][1]);
                        if (c == null) {
                            fallbacks[e]++;
                            bytes[e] += auto;
                        } else {
                            bytes[e] += c.length;
                        }
                    }
                }
                for (int e = 0; e <= ENCODINGS.length; e++) {
                    String cell = String.format("%.3f", (double) bytes[e] / samples);
                    if (e < ENCODINGS.length && fallbacks[e] > 0) {
                        cell += String.format(" (%d%%)", Math.round(100.0 * fallbacks[e] / data.size()));
                    }
                    rows[e] += String.format("%16s", cell);
                }
            }
            for (String row : rows) {
                System.out.println(row);
            }
            System.out.println("auto by series kind at n=120 (bytes/sample):");
            for (Map.Entry<String, long[]> k : kinds.entrySet()) {
                System.out.printf("  %-22s %.3f%n", k.getKey(), (double) k.getValue()[0] / k.getValue()[1]);
            }
            System.out.println();
        }
        sessions();
    }

    /** Whole sessions, chunks cut at 120 samples or at the session's end: total bytes / total samples. */
    private static void sessions() {
        System.out.println("## workload (a) whole sessions, chunks cut at 120 samples (auto encoding)");
        for (boolean cumulative : new boolean[] {false, true}) {
            List<Series> data = Workloads.claudeSessions(120, 400_000, cumulative, 42);
            Map<String, long[]> kinds = new TreeMap<>();
            long bytes = 0;
            long samples = 0;
            long xor = 0;
            ChunkEncoder enc = new ChunkEncoder();
            for (Series s : data) {
                enc.reset();
                for (int i = 0; i < s.size(); i++) {
                    enc.append(s.t[i], s.v[i]);
                }
                int b = enc.toBytes().length;
                bytes += b;
                samples += s.size();
                xor += ChunkEncodings.encode(s.t, s.v, s.size(), ChunkEncodings.TS_DOD_PROM, ChunkEncodings.VAL_XOR).length;
                long[] k = kinds.computeIfAbsent(s.kind, x -> new long[3]);
                k[0] += b;
                k[1] += s.size();
                k[2]++;
            }
            System.out.printf("%s temporality: auto %.3f B/sample, XOR baseline %.3f, %d chunks, %.1f samples/chunk%n",
                cumulative ? "cumulative" : "delta (default)", (double) bytes / samples, (double) xor / samples,
                data.size(), (double) samples / data.size());
            System.out.println("  kind                   B/sample  share of samples  samples/chunk");
            for (Map.Entry<String, long[]> k : kinds.entrySet()) {
                long[] x = k.getValue();
                System.out.printf("  %-22s %8.3f %17.1f%% %14.1f%n", k.getKey(), (double) x[0] / x[1],
                    100.0 * x[1] / samples, (double) x[1] / x[2]);
            }
        }
        System.out.println();
    }

    private static String name(int[] enc) {
        String ts = enc[0] == ChunkEncodings.TS_DOD_PROM ? "prom" : enc[0] == ChunkEncodings.TS_DOD_FINE ? "dod"
            : enc[0] == ChunkEncodings.TS_FOR ? "for" : "grid";
        String v = enc[1] == ChunkEncodings.VAL_XOR ? "xor" : enc[1] == ChunkEncodings.VAL_DEC ? "dec"
            : enc[1] == ChunkEncodings.VAL_DEC_FOR ? "decfor" : enc[1] == ChunkEncodings.VAL_SUM ? "sum" : "sumfor";
        return String.format("0x%02x %s+%s", ChunkEncodings.id(enc[0], enc[1]), ts, v);
    }
}
