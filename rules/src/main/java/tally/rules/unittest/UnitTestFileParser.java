package tally.rules.unittest;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import tally.promql.ast.Durations;
import tally.rules.file.YamlNodes;

/** Reads promtool's rule unit-test files strictly (an unknown field is an error, as with promtool's UnmarshalStrict). */
final class UnitTestFileParser {
    private static final Set<String> TOP = Set.of("rule_files", "evaluation_interval", "group_eval_order", "tests", "fuzzy_compare");
    private static final Set<String> GROUP = Set.of("interval", "input_series", "alert_rule_test", "promql_expr_test",
            "external_labels", "external_url", "name", "start_timestamp");
    private static final Set<String> SERIES = Set.of("series", "values");
    private static final Set<String> ALERT_TEST = Set.of("eval_time", "alertname", "exp_alerts");
    private static final Set<String> EXP_ALERT = Set.of("exp_labels", "exp_annotations");
    private static final Set<String> PROMQL_TEST = Set.of("expr", "eval_time", "exp_samples");
    private static final Set<String> EXP_SAMPLE = Set.of("labels", "value", "histogram");

    private UnitTestFileParser() {}

    /** @throws IllegalArgumentException with every problem, each with its position */
    static UnitTestFile parse(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Node root;
        try {
            var docs = new Yaml(new LoaderOptions()).composeAll(new StringReader(text)).iterator();
            root = docs.hasNext() ? docs.next() : null;
        } catch (MarkedYAMLException e) {
            throw new IllegalArgumentException("yaml: line " + (e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1) + ": " + e.getProblem());
        } catch (YAMLException e) {
            throw new IllegalArgumentException("yaml: " + e.getMessage());
        }
        List<String> errors = new ArrayList<>();
        Map<String, Node> f = YamlNodes.fields(root, "unit test file", TOP, errors);
        List<String> ruleFiles = strings(f.get("rule_files"), "rule_files", errors);
        long evalInterval = duration(f.get("evaluation_interval"), "evaluation_interval", errors, 60_000L);
        if (evalInterval == 0) evalInterval = 60_000L;
        List<String> order = strings(f.get("group_eval_order"), "group_eval_order", errors);
        boolean fuzzy = Boolean.parseBoolean(String.valueOf(YamlNodes.scalar(f.get("fuzzy_compare"), "fuzzy_compare", errors)));
        List<UnitTestFile.TestGroup> tests = new ArrayList<>();
        for (Node g : YamlNodes.items(f.get("tests"), "tests", errors)) tests.add(group(g, errors));
        if (!errors.isEmpty()) throw new IllegalArgumentException(String.join("\n", errors));
        return new UnitTestFile(ruleFiles, evalInterval, order, tests, fuzzy);
    }

    private static UnitTestFile.TestGroup group(Node n, List<String> errors) {
        Map<String, Node> f = YamlNodes.fields(n, "test group", GROUP, errors);
        long interval = duration(f.get("interval"), "interval", errors, 0);
        List<UnitTestFile.InputSeries> series = new ArrayList<>();
        for (Node s : YamlNodes.items(f.get("input_series"), "input_series", errors)) {
            Map<String, Node> sf = YamlNodes.fields(s, "input series", SERIES, errors);
            series.add(new UnitTestFile.InputSeries(text(sf.get("series"), "series", errors), text(sf.get("values"), "values", errors)));
        }
        List<UnitTestFile.AlertTest> alerts = new ArrayList<>();
        for (Node a : YamlNodes.items(f.get("alert_rule_test"), "alert_rule_test", errors)) {
            Map<String, Node> af = YamlNodes.fields(a, "alert rule test", ALERT_TEST, errors);
            List<UnitTestFile.ExpAlert> exp = new ArrayList<>();
            for (Node e : YamlNodes.items(af.get("exp_alerts"), "exp_alerts", errors)) {
                Map<String, Node> ef = YamlNodes.fields(e, "expected alert", EXP_ALERT, errors);
                exp.add(new UnitTestFile.ExpAlert(YamlNodes.stringMap(ef.get("exp_labels"), "exp_labels", errors),
                        YamlNodes.stringMap(ef.get("exp_annotations"), "exp_annotations", errors)));
            }
            alerts.add(new UnitTestFile.AlertTest(duration(af.get("eval_time"), "eval_time", errors, 0),
                    text(af.get("alertname"), "alertname", errors), exp));
        }
        List<UnitTestFile.PromqlTest> exprs = new ArrayList<>();
        for (Node p : YamlNodes.items(f.get("promql_expr_test"), "promql_expr_test", errors)) {
            Map<String, Node> pf = YamlNodes.fields(p, "promql expr test", PROMQL_TEST, errors);
            List<UnitTestFile.ExpSample> exp = new ArrayList<>();
            for (Node e : YamlNodes.items(pf.get("exp_samples"), "exp_samples", errors)) {
                Map<String, Node> ef = YamlNodes.fields(e, "expected sample", EXP_SAMPLE, errors);
                String v = YamlNodes.scalar(ef.get("value"), "value", errors);
                double value = 0;
                try {
                    if (v != null) value = parseFloat(v);
                } catch (NumberFormatException ex) {
                    errors.add(YamlNodes.pos(ef.get("value")) + ": value: cannot parse \"" + v + "\" as a number");
                }
                exp.add(new UnitTestFile.ExpSample(text(ef.get("labels"), "labels", errors), value, text(ef.get("histogram"), "histogram", errors)));
            }
            exprs.add(new UnitTestFile.PromqlTest(text(pf.get("expr"), "expr", errors),
                    duration(pf.get("eval_time"), "eval_time", errors, 0), exp));
        }
        String start = YamlNodes.scalar(f.get("start_timestamp"), "start_timestamp", errors);
        long startMs = 0;
        if (start != null) {
            try {
                startMs = parseTime(start);
            } catch (IllegalArgumentException e) {
                errors.add(YamlNodes.pos(f.get("start_timestamp")) + ": start_timestamp: " + e.getMessage());
            }
        }
        return new UnitTestFile.TestGroup(text(f.get("name"), "name", errors), interval, series, alerts, exprs,
                YamlNodes.stringMap(f.get("external_labels"), "external_labels", errors), text(f.get("external_url"), "external_url", errors),
                startMs);
    }

    /** Go's float parsing of YAML values: decimals, exponents, and Inf/NaN spellings. */
    private static double parseFloat(String v) {
        String s = v.trim();
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "inf", "+inf", ".inf", "+.inf": return Double.POSITIVE_INFINITY;
            case "-inf", "-.inf": return Double.NEGATIVE_INFINITY;
            case "nan", ".nan": return Double.NaN;
            default: return Double.parseDouble(s);
        }
    }

    /** promtool's start_timestamp: RFC 3339 or Unix seconds (fractions allowed). */
    private static long parseTime(String s) {
        try {
            return Math.round(Double.parseDouble(s.trim()) * 1000);
        } catch (NumberFormatException notNumber) {
            try {
                return OffsetDateTime.parse(s.trim()).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                try {
                    return Instant.parse(s.trim()).toEpochMilli();
                } catch (DateTimeParseException e2) {
                    throw new IllegalArgumentException("cannot parse \"" + s + "\" to a valid timestamp");
                }
            }
        }
    }

    private static String text(Node n, String what, List<String> errors) {
        String s = YamlNodes.scalar(n, what, errors);
        return s == null ? "" : s;
    }

    private static List<String> strings(Node n, String what, List<String> errors) {
        List<String> out = new ArrayList<>();
        for (Node i : YamlNodes.items(n, what, errors)) {
            String s = YamlNodes.scalar(i, what, errors);
            if (s != null) out.add(s);
        }
        return out;
    }

    private static long duration(Node n, String what, List<String> errors, long dflt) {
        String s = YamlNodes.scalar(n, what, errors);
        if (s == null) return dflt;
        try {
            return Durations.parseMillis(s.trim());
        } catch (IllegalArgumentException | ArithmeticException e) {
            errors.add(YamlNodes.pos(n) + ": " + what + ": not a valid duration string: \"" + s + "\"");
            return dflt;
        }
    }
}
