package tally.bench.load;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import tally.model.Appender;
import tally.model.AppendException;
import tally.model.Labels;
import tally.promql.ast.Expr;
import tally.promql.engine.Engine;
import tally.promql.engine.EngineOptions;
import tally.promql.engine.InstantVector;
import tally.promql.engine.QueryResult;
import tally.promql.engine.RangeMatrix;
import tally.promql.engine.Sample;
import tally.promql.engine.SeriesPoints;
import tally.promql.parser.PromQLParser;
import tally.storage.StorageOptions;
import tally.storage.TallyStorage;

/**
 * In-process measurement of the dashboard queries ({@link DashboardQueries}) on the Claude Code workload, with
 * no HTTP in between: thread CPU time and bytes allocated per query (ThreadMXBean), so numbers hold on a busy
 * machine.
 * <pre>
 * java -cp bench/target/benchmarks.jar [flags] tally.bench.load.QuerySpeed build --dir=/tmp/qs --users=150 --days=30
 * java -cp bench/target/benchmarks.jar [flags] tally.bench.load.QuerySpeed run --dir=/tmp/qs [--reps=7] [--only=cost]
 * </pre>
 * {@code build} writes the workload (cumulative counters, every sample of every session) into a TallyStorage
 * and flushes it to the store; its data ends a day before now (store retention is wall-clock based).
 * {@code run} prints per query the minimum and median CPU ms, allocated MB and a result fingerprint.
 */
public final class QuerySpeed {
    private static final String MANIFEST = "query-speed.properties";
    private static final long DAY = 86_400_000L;

    private QuerySpeed() {}

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            System.err.println("usage: QuerySpeed build|run --dir=DIR [...]");
            System.exit(2);
        }
        Args a = new Args(Arrays.asList(argv).subList(1, argv.length));
        Path dir = Path.of(a.required("dir"));
        if (argv[0].equals("build")) build(dir, a.integer("users", 150), a.integer("days", 30), a.integer("seed", 1));
        else run(dir, a.integer("reps", 7), a.str("only", ""));
        System.exit(0);
    }

    static void build(Path dir, int users, int days, long seed) throws IOException {
        long now = System.currentTimeMillis();
        long start = now - now % DAY - (days + 1) * DAY;
        StorageOptions opts = StorageOptions.defaults(dir).withIdleSeriesMillis(10 * 60_000L);
        long samples = 0;
        long[] last = {Long.MIN_VALUE};
        long cpu0 = cpuNanos();
        ClaudeWorkload w = new ClaudeWorkload(users, days, start, seed, 1);
        try (TallyStorage storage = TallyStorage.open(opts)) {
            Appender app = storage.appender();
            long[] count = {0};
            w.generate(window -> {
                for (List<Block> stream : window.streams) {
                    for (Block b : stream) {
                        Labels l = labels(b.series);
                        long ref = 0;
                        for (int i = 0; i < b.n; i++) {
                            try {
                                ref = app.append(ref, l, b.ts[i], b.values[i]);
                            } catch (AppendException e) {
                                throw new IllegalStateException(e);
                            }
                            last[0] = Math.max(last[0], b.ts[i]);
                        }
                        count[0] += b.n;
                    }
                }
                app.commit();
            });
            samples = count[0];
            // a late sample moves data time on so every session is idle and leaves the head for the store
            app.append(0, Labels.of("__name__", "query_speed_clock"), last[0] + DAY, 1);
            app.commit();
            storage.flush();
        }
        Properties p = new Properties();
        p.setProperty("users", String.valueOf(users));
        p.setProperty("days", String.valueOf(days));
        p.setProperty("seed", String.valueOf(seed));
        p.setProperty("series", String.valueOf(w.seriesCount()));
        p.setProperty("samples", String.valueOf(samples));
        p.setProperty("end_ms", String.valueOf(last[0]));
        try (Writer out = Files.newBufferedWriter(dir.resolve(MANIFEST), StandardCharsets.UTF_8)) {
            p.store(out, "QuerySpeed dataset");
        }
        System.out.printf("built %s: %d series, %d samples, %.1f s CPU%n", dir, w.seriesCount(), samples,
                (cpuNanos() - cpu0) / 1e9);
    }

    static Labels labels(SeriesDef d) {
        String[] kv = new String[d.labelNames.length * 2];
        for (int i = 0; i < d.labelNames.length; i++) {
            kv[2 * i] = new String(d.labelNames[i], StandardCharsets.UTF_8);
            kv[2 * i + 1] = new String(d.labelValues[i], StandardCharsets.UTF_8);
        }
        return Labels.wrapSorted(kv);
    }

    static void run(Path dir, int reps, String only) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(dir.resolve(MANIFEST), StandardCharsets.UTF_8)) {
            p.load(in);
        }
        // as QueryCommand: the minute after the last sample, so instant queries see the end of the data
        long end = (Long.parseLong(p.getProperty("end_ms")) / 60_000L + 1) * 60_000L;
        System.out.printf("dataset %s: %s series, %s samples, %s users x %s days%n", dir, p.getProperty("series"),
                p.getProperty("samples"), p.getProperty("users"), p.getProperty("days"));
        Engine engine = new Engine(EngineOptions.defaults());
        try (TallyStorage storage = TallyStorage.open(StorageOptions.defaults(dir).withIdleSeriesMillis(10 * 60_000L))) {
            System.out.printf("%-48s %10s %10s %10s %12s%n", "query", "cpu min ms", "cpu med ms", "alloc MB", "fingerprint");
            for (DashboardQueries.Query q : DashboardQueries.forWorkload("claude")) {
                if (!q.name.contains(only)) continue;
                Expr expr = PromQLParser.parseExpr(q.promql);
                double[] cpu = new double[reps];
                double[] alloc = new double[reps];
                String fp = "";
                for (int i = 0; i < reps; i++) {
                    long c0 = cpuNanos();
                    long a0 = allocatedBytes();
                    QueryResult r = q.rangeMs == 0
                            ? engine.instant(storage, expr, end)
                            : engine.range(storage, expr, end - q.rangeMs, end, q.stepMs);
                    cpu[i] = (cpuNanos() - c0) / 1e6;
                    alloc[i] = (allocatedBytes() - a0) / 1e6;
                    fp = fingerprint(r);
                }
                Arrays.sort(cpu);
                Arrays.sort(alloc);
                System.out.printf("%-48s %10.1f %10.1f %10.1f %12s%n", q.name, cpu[0], cpu[reps / 2], alloc[reps / 2], fp);
            }
        }
    }

    /** Series count and the sum of all values: enough to see that an optimisation kept the result. */
    private static String fingerprint(QueryResult r) {
        double sum = 0;
        int n = 0;
        if (r.value() instanceof RangeMatrix m) {
            for (SeriesPoints s : m.series()) {
                n++;
                for (int i = 0; i < s.count(); i++) sum += s.vs()[i];
            }
        } else if (r.value() instanceof InstantVector v) {
            for (Sample s : v.samples()) {
                n++;
                sum += s.v();
            }
        }
        return n + "/" + String.format(java.util.Locale.ROOT, "%.6g", sum);
    }

    private static long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
