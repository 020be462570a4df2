package tally.bench.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tally.model.Appender;
import tally.model.Labels;
import tally.model.Matcher;
import tally.model.Querier;
import tally.model.SelectHints;
import tally.model.SeriesSet;
import tally.storage.StorageOptions;
import tally.storage.TallyStorage;

/**
 * How long Tally takes to come back with N live series (default 1,000,000).
 * <ol>
 *   <li>a child JVM appends N series x 10 samples and halts without closing (a crash: everything
 *       is in the WAL and the head, nothing flushed);</li>
 *   <li>this JVM reopens (WAL replay + first flush), answers a query, closes cleanly;</li>
 *   <li>and reopens once more after the clean shutdown.</li>
 * </ol>
 * Run: {@code java --add-opens... -cp bench/target/benchmarks.jar tally.bench.storage.RestartReport [N]}
 */
public final class RestartReport {
    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--fill")) {
            fill(Path.of(args[1]), Integer.getInteger("tally.series", 1_000_000));
            return;
        }
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = Files.createTempDirectory("tally-restart");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-Dtally.series=" + n, "-cp", System.getProperty("java.class.path"),
                RestartReport.class.getName(), "--fill", dir.toString()));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (p.waitFor() != 0) throw new IllegalStateException("fill failed");
        System.out.printf("filled %,d series x 10 samples in %.1f s (then crashed without closing)%n", n, (System.nanoTime() - t0) / 1e9);

        long t1 = System.nanoTime();
        try (TallyStorage s = TallyStorage.open(StorageOptions.defaults(dir))) {
            double openS = (System.nanoTime() - t1) / 1e9;
            System.out.printf("unclean restart: open (WAL replay + flush) %.1f s; %s%n", openS, s.stats().lastReplay());
            System.out.printf("  query after restart: %,d series%n", count(s));
        }
        long t2 = System.nanoTime();
        try (TallyStorage s = TallyStorage.open(StorageOptions.defaults(dir))) {
            System.out.printf("clean restart: open %.1f s; query: %,d series%n", (System.nanoTime() - t2) / 1e9, count(s));
        }
    }

    private static long count(TallyStorage s) {
        long n = 0;
        try (Querier q = s.querier(0, Long.MAX_VALUE)) {
            SeriesSet set = q.select(false, SelectHints.range(0, Long.MAX_VALUE), List.of(Matcher.metricName("restart_test")));
            while (set.next()) n++;
        }
        return n;
    }

    private static void fill(Path dir, int n) throws Exception {
        TallyStorage s = TallyStorage.open(StorageOptions.defaults(dir).withFlushIntervalMillis(Long.MAX_VALUE / 4));
        Appender a = s.appender();
        long[] refs = new long[n];
        for (int k = 0; k < 10; k++) {
            for (int i = 0; i < n; i++) {
                Labels l = k == 0 ? Labels.of("__name__", "restart_test", "job", "bench", "instance", "i" + (i % 1000),
                        "series", Integer.toString(i)) : null;
                refs[i] = a.append(refs[i], l, 1_700_000_000_000L + k * 15_000L, i + k);
                if (i % 10_000 == 9_999) a.commit();
            }
            a.commit();
        }
        Runtime.getRuntime().halt(0); // no close: the next open must recover from the WAL
    }
}
