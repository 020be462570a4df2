package tally.rules.unittest;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import tally.model.AppendException;
import tally.model.Appender;
import tally.model.Labels;
import tally.model.LabelsBuilder;
import tally.model.Storage;
import tally.promql.engine.Engine;
import tally.promql.engine.EngineOptions;
import tally.promql.engine.Sample;
import tally.promql.parser.PromQLParser;
import tally.promql.test.SeqValue;
import tally.promql.test.SeriesDescParser;
import tally.promql.test.SeriesLine;
import tally.rules.eval.Alert;
import tally.rules.eval.AlertState;
import tally.rules.eval.AlertingRule;
import tally.rules.eval.Rule;
import tally.rules.eval.RuleGroup;
import tally.rules.eval.RuleManager;
import tally.rules.eval.RuleQuery;
import tally.rules.file.RuleFileGlobs;
import tally.rules.file.RuleFileParser;
import tally.rules.file.RuleLoadException;
import tally.rules.file.RuleSource;

/**
 * {@code tally test rules FILE...}: runs promtool's rule unit-test files with 3.x semantics and promtool's output and
 * exit codes. Per test group: the input series are loaded into a fresh storage, every group is evaluated every
 * {@code evaluation_interval} from the start time to the last eval_time (rules pre-restored, no phase), an alert test
 * compares the <em>firing</em> alerts after the last evaluation at or before its eval_time, and a PromQL test is an
 * instant query that sees recorded series too.
 */
public final class RuleUnitTester {
    /** A fresh, empty storage per test group; closing it removes it. */
    @FunctionalInterface
    public interface StorageFactory {
        Storage open() throws IOException;
    }

    private final StorageFactory storages;
    private final RuleFileParser parser;

    public RuleUnitTester(StorageFactory storages, RuleFileParser parser) {
        this.storages = storages;
        this.parser = parser;
    }

    /** Runs every file; returns 0 when all pass, 1 otherwise (as promtool). {@code run}: test group name patterns, or empty. */
    public int run(List<Path> files, List<String> run, PrintStream out) {
        Pattern only = run.isEmpty() ? null : Pattern.compile(String.join("|", run));
        boolean failed = false;
        for (Path f : files) {
            out.println("Unit Testing:  " + f);
            List<String> errors;
            try {
                errors = runFile(f, only);
            } catch (IOException | IllegalArgumentException e) {
                errors = List.of(e.getMessage() == null ? e.toString() : e.getMessage());
            }
            if (errors.isEmpty()) {
                out.println("  SUCCESS");
            } else {
                failed = true;
                out.println("  FAILED:");
                for (String e : errors) {
                    out.println(e);
                    out.println();
                }
            }
            out.println();
        }
        return failed ? 1 : 0;
    }

    private List<String> runFile(Path file, Pattern only) throws IOException {
        UnitTestFile utf = UnitTestFileParser.parse(file);
        Map<String, Integer> order = new HashMap<>();
        for (int i = 0; i < utf.groupEvalOrder().size(); i++) {
            if (order.putIfAbsent(utf.groupEvalOrder().get(i), i) != null) {
                return List.of("group name repeated in evaluation order: " + utf.groupEvalOrder().get(i));
            }
        }
        List<RuleSource> ruleFiles = resolve(file.toAbsolutePath().getParent(), utf.ruleFiles());
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < utf.tests().size(); i++) {
            UnitTestFile.TestGroup tg = utf.tests().get(i);
            String name = tg.name().isEmpty() ? "unnamed#" + i : tg.name();
            if (only != null && !only.matcher(tg.name()).find()) continue;
            errors.addAll(runGroup(tg, utf, order, ruleFiles, name));
        }
        return errors;
    }

    /** Rule file globs, relative to the test file's folder; a pattern that matches nothing is only warned about (as promtool). */
    private static List<RuleSource> resolve(Path base, List<String> patterns) throws IOException {
        List<RuleSource> out = new ArrayList<>();
        for (String p : patterns) {
            List<Path> found = RuleFileGlobs.resolve(base, p);
            if (found.isEmpty()) System.err.println("  WARNING: no file match pattern " + base.resolve(p).normalize());
            for (Path f : found) out.add(RuleSource.file(f));
        }
        return out;
    }

    private List<String> runGroup(UnitTestFile.TestGroup tg, UnitTestFile utf, Map<String, Integer> order, List<RuleSource> ruleFiles,
                                  String name) throws IOException {
        long evalInterval = utf.evaluationIntervalMs();
        long interval = tg.intervalMs() == 0 ? evalInterval : tg.intervalMs();
        try (Storage storage = storages.open()) {
            load(storage, tg, interval);
            Engine engine = new Engine(new EngineOptions(5 * 60_000L, evalInterval, 120_000L, 50_000_000L, 11_000));
            RuleQuery query = RuleQuery.of(engine, storage);
            RuleManager manager = new RuleManager(query, storage, storage, alerts -> { }, parser, System::currentTimeMillis, 1);
            List<RuleGroup> groups;
            try {
                groups = manager.load(ruleFiles, new RuleManager.Options(interval, 0, tg.externalLabels(), tg.externalURL(),
                        60_000L, 3_600_000L, 600_000L), false);
            } catch (RuleLoadException e) {
                return e.errors();
            } finally {
                manager.close();
            }
            groups = new ArrayList<>(groups);
            groups.sort(Comparator.comparingInt(g -> order.getOrDefault(g.name(), 0)));

            TreeMap<Long, List<UnitTestFile.AlertTest>> alertTests = new TreeMap<>();
            for (UnitTestFile.AlertTest a : tg.alertTests()) {
                if (a.alertname().isEmpty()) {
                    return List.of("an item under alert_rule_test misses required attribute alertname at eval_time "
                            + tally.promql.ast.Durations.format(a.evalTimeMs()) + (tg.name().isEmpty() ? "" : " (in TestGroup " + tg.name() + ")"));
                }
                alertTests.computeIfAbsent(a.evalTimeMs(), k -> new ArrayList<>()).add(a);
            }
            long mint = tg.startMs();
            long maxEval = 0;
            for (UnitTestFile.AlertTest a : tg.alertTests()) maxEval = Math.max(maxEval, a.evalTimeMs());
            for (UnitTestFile.PromqlTest p : tg.promqlTests()) maxEval = Math.max(maxEval, p.evalTimeMs());
            List<String> errors = new ArrayList<>();
            String groupName = tg.name().isEmpty() ? "" : "    name: " + tg.name() + ",\n";
            for (long ts = mint; ts <= mint + maxEval; ts += evalInterval) {
                List<String> evalErrors = new ArrayList<>();
                for (RuleGroup g : groups) {
                    g.eval(ts, System.currentTimeMillis());
                    for (Rule r : g.rules()) {
                        if (r.lastError() != null) {
                            evalErrors.add("    rule: " + r.name() + ", time: " + GoText.duration(ts) + ", err: " + r.lastError());
                        }
                    }
                }
                errors.addAll(evalErrors);
                if (!evalErrors.isEmpty()) return errors;
                for (Map.Entry<Long, List<UnitTestFile.AlertTest>> e : alertTests.subMap(ts - mint, true, ts + evalInterval - mint, false).entrySet()) {
                    for (UnitTestFile.AlertTest t : e.getValue()) {
                        List<LabelsAndAnnotations> got = firing(groups, t.alertname());
                        List<LabelsAndAnnotations> exp = expected(t);
                        got.sort(null);
                        exp.sort(null);
                        if (!exp.equals(got)) {
                            errors.add(groupName + "    alertname: " + t.alertname() + ", time: " + tally.promql.ast.Durations.format(t.evalTimeMs())
                                    + ", \n        exp:" + indent(LabelsAndAnnotations.toString(exp), "            ")
                                    + ", \n        got:" + indent(LabelsAndAnnotations.toString(got), "            "));
                        }
                    }
                }
            }
            for (UnitTestFile.PromqlTest p : tg.promqlTests()) {
                String at = ", time: " + tally.promql.ast.Durations.format(p.evalTimeMs());
                List<Sample> got;
                try {
                    got = query.query(PromQLParser.parseExpr(p.expr()), p.expr(), mint + p.evalTimeMs());
                } catch (RuntimeException e) {
                    errors.add("    expr: " + GoText.quote(p.expr()) + at + ", err: " + e.getMessage());
                    continue;
                }
                List<Sample> exp = new ArrayList<>();
                String bad = null;
                for (UnitTestFile.ExpSample s : p.expSamples()) {
                    if (!s.histogram().isEmpty()) {
                        bad = "labels " + GoText.quote(s.labels()) + ": native histograms are not supported by Tally";
                        break;
                    }
                    try {
                        // no labels at all: a label-less sample (a scalar's or an aggregation's)
                        Labels l = s.labels().isBlank() ? Labels.EMPTY : SeriesDescParser.parseLabels(s.labels());
                        exp.add(new Sample(l, 0, s.value()));
                    } catch (IllegalArgumentException e) {
                        bad = "labels " + GoText.quote(s.labels()) + ": " + e.getMessage();
                        break;
                    }
                }
                if (bad != null) {
                    errors.add("    expr: " + GoText.quote(p.expr()) + at + ", err: " + bad);
                    continue;
                }
                List<Sample> gotSorted = new ArrayList<>(got);
                gotSorted.sort(Comparator.comparing(Sample::labels));
                exp.sort(Comparator.comparing(Sample::labels));
                if (!sameSamples(exp, gotSorted, utf.fuzzyCompare())) {
                    errors.add("    expr: " + GoText.quote(p.expr()) + at + ",\n        exp: " + samples(exp) + "\n        got: " + samples(gotSorted));
                }
            }
            return errors;
        }
    }

    /** input_series as promtool's lazy loader has them: sample i at start + i * interval; "_" skips, "stale" marks. */
    private static void load(Storage storage, UnitTestFile.TestGroup tg, long interval) {
        Appender app = storage.appender();
        for (UnitTestFile.InputSeries s : tg.inputSeries()) {
            SeriesLine line = SeriesDescParser.parse(s.series() + " " + s.values());
            if (line.hasHistogram()) throw new IllegalArgumentException("series " + s.series() + ": native histograms are not supported by Tally");
            List<SeqValue> values = line.values();
            for (int i = 0; i < values.size(); i++) {
                SeqValue v = values.get(i);
                if (!v.isFloat()) continue;
                try {
                    app.append(0, line.labels(), tg.startMs() + i * interval, v.value());
                } catch (AppendException e) {
                    throw new IllegalArgumentException("series " + s.series() + ": " + e.getMessage());
                }
            }
        }
        app.commit();
    }

    private static List<LabelsAndAnnotations> firing(List<RuleGroup> groups, String alertname) {
        List<LabelsAndAnnotations> out = new ArrayList<>();
        for (RuleGroup g : groups) {
            for (Rule r : g.rules()) {
                if (!(r instanceof AlertingRule ar) || !ar.name().equals(alertname)) continue;
                for (Alert a : ar.activeAlerts()) {
                    if (a.state() == AlertState.FIRING) out.add(new LabelsAndAnnotations(a.labels(), Labels.fromMap(a.annotations())));
                }
            }
        }
        return out;
    }

    private static List<LabelsAndAnnotations> expected(UnitTestFile.AlertTest t) {
        List<LabelsAndAnnotations> out = new ArrayList<>();
        for (UnitTestFile.ExpAlert a : t.expAlerts()) {
            LabelsBuilder b = new LabelsBuilder();
            for (Map.Entry<String, String> l : a.labels().entrySet()) b.set(l.getKey(), l.getValue());
            b.set("alertname", t.alertname());
            out.add(new LabelsAndAnnotations(b.build(), Labels.fromMap(a.annotations())));
        }
        return out;
    }

    private static boolean sameSamples(List<Sample> exp, List<Sample> got, boolean fuzzy) {
        if (exp.size() != got.size()) return false;
        for (int i = 0; i < exp.size(); i++) {
            if (!exp.get(i).labels().equals(got.get(i).labels())) return false;
            double x = exp.get(i).v(), y = got.get(i).v();
            boolean eq = Double.compare(x, y) == 0 || x == y
                    || (fuzzy && (Math.nextDown(x) == y || Math.nextUp(x) == y));
            if (!eq) return false;
        }
        return true;
    }

    /** promtool's sample list: {@code name{labels} 2E+00, ...}, or {@code nil} when empty. */
    private static String samples(List<Sample> s) {
        if (s.isEmpty()) return "nil";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(GoText.labels(s.get(i).labels())).append(' ').append(GoText.floatE(s.get(i).v()));
        }
        return sb.toString();
    }

    static String indent(String lines, String indent) {
        String[] parts = lines.split("\n", -1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) sb.append(indent);
            sb.append(parts[i]);
            if (i != parts.length - 1) sb.append('\n');
        }
        return sb.toString();
    }
}
