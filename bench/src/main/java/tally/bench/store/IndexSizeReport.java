package tally.bench.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import tally.model.Labels;
import tally.storage.store.ChunkStore;
import tally.storage.store.StoreOptions;
import tally.storage.store.StoreStats;

/**
 * Writes N Claude-like series with one ~40-byte chunk each into one day partition, seals it and prints
 * index bytes per series and chunk bytes per chunk as they lie on disk (allocated blocks, via du).
 * Usage: IndexSizeReport [series=100000] [users=1000] [dir]
 */
public final class IndexSizeReport {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int users = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("tally-index-size");
        List<Labels> series = ClaudeSeries.generate(n, users, 42);
        Random r = new Random(1);
        StoreOptions opts = StoreOptions.defaults();
        long day = StoreOptions.DAY_MILLIS;
        long t0 = 20_000 * day; // some day in 2024
        try (ChunkStore store = ChunkStore.open(dir, opts)) {
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpu0 = mx.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long minT = t0 + (long) i * ((day - 3_600_000) / n); // sessions spread over one day
                store.write(i, series.get(i), ClaudeSeries.chunk(r, 36 + r.nextInt(9)), minT, minT + 40 * 60_000);
            }
            double secs = (System.nanoTime() - start) / 1e9;
            double cpuSecs = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
            long chunkMapBytes = du(dir, "chunks.cm");
            Path part = dir.resolve("p_" + store.partitionStart(t0));
            long seriesMapBytes = du(part, "series.cm");
            StoreStats before = store.stats();
            store.sealPartitionsEndingBefore(t0 + day);
            StoreStats after = store.stats();
            long indexBytes = du(part, "index.bin");
            long chunkFileBytes = du(part, "chunks.bin");
            System.out.printf("series                      %d (users %d, %d distinct label values of session_id)%n", n, users, (n + 24) / 25);
            System.out.printf("write                       %.0f chunks/s wall, %.0f chunks/s of CPU (%d chunks, each a new series, one thread)%n",
                    n / secs, n / cpuSecs, n);
            System.out.printf("index bytes/series, sealed  %.1f (index.bin %d bytes)%n", (double) indexBytes / n, indexBytes);
            System.out.printf("series.cm before sealing    %.1f bytes/series (open block + prepared next block; full blocks already sealed)%n", (double) seriesMapBytes / n);
            System.out.printf("chunk bytes as written      %.1f per chunk%n", (double) after.chunkBytes() / after.chunks());
            System.out.printf("chunks.cm before sealing    %.1f bytes/chunk (%d bytes allocated; same caveat)%n",
                    (double) chunkMapBytes / n, chunkMapBytes);
            System.out.printf("chunk bytes on disk, sealed %.1f per chunk (chunks.bin allocated %d bytes)%n",
                    (double) chunkFileBytes / n, chunkFileBytes);
            System.out.printf("sealed total per series     %.1f bytes%n", (double) (indexBytes + chunkFileBytes) / n);
            System.out.printf("stats before seal           %s%nstats after seal            %s%n", before, after);
        }
        if (args.length <= 2) deleteTree(dir);
    }

    /** Allocated bytes of every file with this name under dir (du counts real blocks of sparse files). */
    static long du(Path dir, String fileName) throws IOException, InterruptedException {
        long total = 0;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(f -> f.getFileName().toString().equals(fileName)).toList()) {
                Process pr = new ProcessBuilder("du", "-B1", "-s", p.toString()).redirectErrorStream(true).start();
                String out = new String(pr.getInputStream().readAllBytes()).trim();
                pr.waitFor();
                total += Long.parseLong(out.split("\\s+")[0]);
            }
        }
        return total;
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
