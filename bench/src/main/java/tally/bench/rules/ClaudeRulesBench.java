package tally.bench.rules;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tally.promql.engine.Engine;
import tally.promql.engine.EngineOptions;
import tally.rules.eval.RuleFiles;
import tally.rules.eval.RuleGroup;
import tally.rules.eval.RuleManager;
import tally.rules.eval.RuleQuery;
import tally.rules.file.BuiltinRules;
import tally.storage.StorageOptions;
import tally.storage.TallyStorage;

/**
 * The built-in Claude Code rules evaluated over a database written by the benchmark workload, once a minute of
 * data time across its last {@code hours} (busy and quiet hours alike), in this process:
 * {@code java -Xmx1g -cp bench/target/benchmarks.jar tally.bench.rules.ClaudeRulesBench --data=DIR --end=MS [--hours=24]}.
 * Each group is evaluated as the rule manager would (same code, same engine), back to back rather than on the
 * wall clock. Reported per group: evaluation time (median, p90, p99, max) and the series the rules wrote.
 * The recorded series are written into the database: run it on a copy, or on a database made for the benchmark.
 */
public final class ClaudeRulesBench {
    private ClaudeRulesBench() {}

    public static void main(String[] args) throws Exception {
        Path data = null;
        long end = 0, hours = 24;
        for (String a : args) {
            String v = a.substring(a.indexOf('=') + 1);
            if (a.startsWith("--data=")) data = Path.of(v);
            else if (a.startsWith("--end=")) end = Long.parseLong(v);
            else if (a.startsWith("--hours=")) hours = Long.parseLong(v);
            else throw new IllegalArgumentException("unknown option " + a);
        }
        if (data == null || end == 0) throw new IllegalArgumentException("--data and --end (the data's last timestamp, ms) are required");
        try (TallyStorage storage = TallyStorage.open(StorageOptions.defaults(data))) {
            RuleManager manager = new RuleManager(RuleQuery.of(new Engine(EngineOptions.defaults()), storage), storage, storage,
                    alerts -> { }, RuleFiles.parser(), System::currentTimeMillis, 1);
            List<RuleGroup> groups = manager.load(List.of(BuiltinRules.claudeCode()),
                    new RuleManager.Options(60_000, 0, Map.of(), "http://bench", 60_000, 3_600_000, 600_000), false);
            long start = end - hours * 3_600_000L;
            // warm-up: an hour of evaluations before the measured span (JIT)
            for (long ts = start - 3_600_000L; ts < start; ts += 60_000) for (RuleGroup g : groups) g.eval(ts, ts);
            for (RuleGroup g : groups) {
                List<Double> ms = new ArrayList<>();
                long samples = 0, maxSamples = 0;
                for (long ts = start; ts <= end; ts += 60_000) {
                    g.eval(ts, ts);
                    ms.add(g.evaluationNanos() / 1e6);
                    samples += g.lastSamples();
                    maxSamples = Math.max(maxSamples, g.lastSamples());
                }
                double[] d = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                System.out.printf("%s (%d rules): %d evaluations over %d h of data; ms median %.2f p90 %.2f p99 %.2f max %.2f;"
                                + " series written per evaluation: mean %.1f, max %d; failures %d%n",
                        g.name(), g.rules().size(), d.length, hours, d[d.length / 2], d[(int) (d.length * 0.9)],
                        d[(int) (d.length * 0.99)], d[d.length - 1], (double) samples / d.length, maxSamples, g.failuresTotal());
            }
            manager.close();
        }
    }
}
