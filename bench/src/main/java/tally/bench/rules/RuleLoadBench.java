package tally.bench.rules;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tally.model.Appender;
import tally.model.Labels;
import tally.promql.engine.Engine;
import tally.promql.engine.EngineOptions;
import tally.rules.eval.RuleFiles;
import tally.rules.eval.RuleGroup;
import tally.rules.eval.RuleManager;
import tally.rules.eval.RuleQuery;
import tally.rules.file.RuleSource;
import tally.storage.StorageOptions;
import tally.storage.TallyStorage;

/**
 * Many recording rules over many live series, in one process:
 * {@code java -Xmx1g -cp bench/target/benchmarks.jar tally.bench.rules.RuleLoadBench [--rules=1000] [--series=100000]
 * [--groups=10] [--interval=15s] [--minutes=5] [--dir=/tmp/tally-rule-load]}.
 *
 * <p>The series are {@code bench_metric_<m>_total{job, instance}} counters, {@code series/rules} per metric, and every
 * rule is {@code sum by (job) (rate(bench_metric_<m>_total[5m]))}: together the rules read every series, 20 samples
 * each, once per interval. The last 10 minutes are written first, then a "scrape" thread appends one sample per
 * series every interval on the wall clock while the rule manager evaluates the groups (spread over the interval at
 * Prometheus's phases) with its usual thread pool. Reported: evaluation time per group iteration, iterations run
 * and missed, and the CPU the rule threads used as a share of the machine.
 */
public final class RuleLoadBench {
    private RuleLoadBench() {}

    public static void main(String[] args) throws Exception {
        int rules = 1000, series = 100_000, groups = 10;
        long intervalMs = 15_000, minutes = 5;
        Path dir = Path.of("/tmp/tally-rule-load");
        for (String a : args) {
            String v = a.substring(a.indexOf('=') + 1);
            if (a.startsWith("--rules=")) rules = Integer.parseInt(v);
            else if (a.startsWith("--series=")) series = Integer.parseInt(v);
            else if (a.startsWith("--groups=")) groups = Integer.parseInt(v);
            else if (a.startsWith("--interval=")) intervalMs = Long.parseLong(v.replace("s", "")) * 1000;
            else if (a.startsWith("--minutes=")) minutes = Long.parseLong(v);
            else if (a.startsWith("--dir=")) dir = Path.of(v);
            else throw new IllegalArgumentException("unknown option " + a);
        }
        deleteTree(dir);
        Files.createDirectories(dir);
        int perMetric = series / rules;
        Labels[] labels = new Labels[series];
        for (int i = 0; i < series; i++) {
            int m = i / perMetric, inst = i % perMetric;
            labels[i] = Labels.of("__name__", "bench_metric_" + m + "_total", "job", "job" + (inst % 10), "instance", "host-" + inst);
        }
        try (TallyStorage storage = TallyStorage.open(StorageOptions.defaults(dir.resolve("data")))) {
            long now = System.currentTimeMillis();
            long first = now - 10 * 60_000;
            for (long t = first; t <= now; t += intervalMs) append(storage, labels, t);
            System.out.printf("wrote %d series x %d samples (the last 10 minutes)%n", series, (now - first) / intervalMs + 1);

            RuleManager manager = new RuleManager(RuleQuery.of(new Engine(EngineOptions.defaults()), storage), storage, storage,
                    alerts -> { }, RuleFiles.parser(), System::currentTimeMillis, Math.max(2, Runtime.getRuntime().availableProcessors()));
            manager.update(List.of(RuleSource.builtin("bench.rules.yml", ruleFile(rules, groups, intervalMs))),
                    new RuleManager.Options(intervalMs, 0, Map.of(), "http://bench", 60_000, 3_600_000, 600_000));
            long intervalFinal = intervalMs;
            Thread scraper = new Thread(() -> {
                long next = (System.currentTimeMillis() / intervalFinal + 1) * intervalFinal;
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        Thread.sleep(Math.max(0, next - System.currentTimeMillis()));
                        append(storage, labels, next);
                        next += intervalFinal;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-scrape");
            scraper.setDaemon(true);
            scraper.start();

            // the first iteration of every group is warm-up (JIT); measure from the second
            Thread.sleep(intervalMs + 2000);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpu0 = ruleThreadsCpu(threads), wall0 = System.nanoTime();
            List<RuleGroup> gs = manager.groups();
            long[] iter0 = gs.stream().mapToLong(RuleGroup::iterationsTotal).toArray();
            long[] missed0 = gs.stream().mapToLong(RuleGroup::iterationsMissed).toArray();
            List<Double> durations = new ArrayList<>();
            long[] lastSeen = new long[gs.size()];
            long end = System.currentTimeMillis() + minutes * 60_000;
            while (System.currentTimeMillis() < end) {
                for (int g = 0; g < gs.size(); g++) {
                    RuleGroup group = gs.get(g);
                    if (group.lastEvalTimestamp() != lastSeen[g]) {
                        lastSeen[g] = group.lastEvalTimestamp();
                        durations.add(group.evaluationNanos() / 1e6);
                    }
                }
                Thread.sleep(50);
            }
            long cpu = ruleThreadsCpu(threads) - cpu0, wall = System.nanoTime() - wall0;
            long iterations = 0, missed = 0, failures = 0, recorded = 0;
            for (int g = 0; g < gs.size(); g++) {
                recorded += gs.get(g).lastSamples();
                iterations += gs.get(g).iterationsTotal() - iter0[g];
                missed += gs.get(g).iterationsMissed() - missed0[g];
                failures += gs.get(g).failuresTotal();
            }
            scraper.interrupt();
            manager.close();
            double[] d = durations.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            int cores = Runtime.getRuntime().availableProcessors();
            System.out.printf("rules %d in %d groups, interval %d s, series %d, %d cores, %d min measured%n",
                    rules, groups, intervalMs / 1000, series, cores, minutes);
            System.out.printf("group iterations %d, missed %d, rule failures %d, series recorded per interval %d%n",
                    iterations, missed, failures, recorded);
            System.out.printf("group evaluation ms (%d rules each): p50 %.1f, p90 %.1f, max %.1f; all rules per interval %.0f ms%n",
                    rules / groups, pct(d, 0.5), pct(d, 0.9), d.length == 0 ? 0 : d[d.length - 1], pct(d, 0.5) * groups);
            System.out.printf("rule threads CPU %.1f s over %.1f s wall: %.1f %% of %d cores%n",
                    cpu / 1e9, wall / 1e9, 100.0 * cpu / wall / cores, cores);
        }
    }

    private static void append(TallyStorage storage, Labels[] labels, long t) {
        Appender a = storage.appender();
        for (int i = 0; i < labels.length; i++) {
            // counters rising by a steady, per-series amount: rate() has work to do and never resets
            a.append(0, labels[i], t, (t / 1000.0) * (1 + i % 7));
        }
        a.commit();
    }

    private static String ruleFile(int rules, int groups, long intervalMs) {
        StringBuilder sb = new StringBuilder("groups:\n");
        int perGroup = rules / groups;
        for (int g = 0; g < groups; g++) {
            sb.append("  - name: bench-").append(g).append("\n    interval: ").append(intervalMs / 1000).append("s\n    rules:\n");
            for (int r = g * perGroup; r < (g + 1) * perGroup; r++) {
                sb.append("      - record: job:bench_metric_").append(r).append(":rate5m\n")
                        .append("        expr: sum by (job) (rate(bench_metric_").append(r).append("_total[5m]))\n");
            }
        }
        return sb.toString();
    }

    private static long ruleThreadsCpu(ThreadMXBean threads) {
        long sum = 0;
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("tally-rules")) sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
        }
        return sum;
    }

    private static double pct(double[] sorted, double p) {
        if (sorted.length == 0) return 0;
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) return;
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
