package tally.rules.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import tally.rules.eval.RuleFiles;

/**
 * Every way a rule file can be malformed gives a load error naming the file, the position, the group, the rule and
 * the reason; Debian's {@code promtool check rules} (2.42) refuses the same files. Names that only UTF-8 allows are
 * accepted, as Prometheus 3.x accepts them (2.42 refuses them: one of the documented 2.x/3.x differences).
 */
class MalformedRuleFilesTest {
    private record Case(String name, String yaml, String error) {}

    private static final List<Case> CASES = List.of(
            new Case("not-yaml", "groups: [\n", "not-yaml.yml: yaml: line 2: expected the node content, but found '<stream end>'"),
            // found by fuzzing: SnakeYAML threw NumberFormatException here, which escaped the loader
            new Case("hex-escape-cut-short", "groups:\n  - name: \"g\\x",
                    "hex-escape-cut-short.yml: yaml: malformed input (java.lang.NumberFormatException: For input string: \"\" under radix 16)"),
            // found by fuzzing: this one had no line ("yaml: special characters are not allowed")
            new Case("control-character", "groups:\n  - name: \"a\u0007\"\n    rules: []\n",
                    "control-character.yml: yaml: line 2: special characters are not allowed (U+0007)"),
            new Case("unknown-top", "groups: []\nrulez: []\n", "unknown-top.yml: 2:1: field rulez not found in rule file"),
            new Case("no-group-name", "groups:\n  - rules:\n      - record: a:b\n        expr: up\n",
                    "no-group-name.yml: 2:5: Groupname must not be empty"),
            new Case("dup-group", "groups:\n  - name: g\n    rules: []\n  - name: g\n    rules: []\n",
                    "dup-group.yml: 4:5: groupname: \"g\" is repeated in the same file"),
            new Case("unknown-group-field", "groups:\n  - name: g\n    intervall: 1m\n    rules: []\n",
                    "unknown-group-field.yml: 3:5: field intervall not found in rule group"),
            new Case("bad-interval", "groups:\n  - name: g\n    interval: 5x\n    rules: []\n",
                    "bad-interval.yml: 3:15: interval: not a valid duration string: \"5x\""),
            new Case("both-record-alert", "groups:\n  - name: g\n    rules:\n      - record: a:b\n        alert: A\n        expr: up\n",
                    "both-record-alert.yml: 4:17: group \"g\", rule 1, \"A\": only one of 'record' and 'alert' must be set"),
            new Case("neither", "groups:\n  - name: g\n    rules:\n      - expr: up\n",
                    "neither.yml: 4:9: group \"g\", rule 1, \"\": one of 'record' or 'alert' must be set"),
            new Case("no-expr", "groups:\n  - name: g\n    rules:\n      - record: a:b\n",
                    "no-expr.yml: 4:17: group \"g\", rule 1, \"a:b\": field 'expr' must be set in rule"),
            new Case("bad-expr", "groups:\n  - name: g\n    rules:\n      - record: a:b\n        expr: sum(up\n",
                    "bad-expr.yml: 5:15: group \"g\", rule 1, \"a:b\": could not parse expression: 1:7: parse error: unclosed left parenthesis"),
            new Case("record-with-for", "groups:\n  - name: g\n    rules:\n      - record: a:b\n        expr: up\n        for: 5m\n",
                    "record-with-for.yml: 4:17: group \"g\", rule 1, \"a:b\": invalid field 'for' in recording rule"),
            new Case("record-with-annotations",
                    "groups:\n  - name: g\n    rules:\n      - record: a:b\n        expr: up\n        annotations:\n          x: y\n",
                    "record-with-annotations.yml: 4:17: group \"g\", rule 1, \"a:b\": invalid field 'annotations' in recording rule"),
            new Case("bad-template",
                    "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        annotations:\n          summary: \"{{ $value \"\n",
                    "bad-template.yml: group \"g\", rule 1, \"A\": annotation \"summary\": template: __alert_A:1: unclosed action"),
            new Case("unknown-rule-field", "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        severity: high\n",
                    "unknown-rule-field.yml: 6:9: field severity not found in rule (group \"g\", rule 1)"),
            new Case("bad-for", "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        for: soon\n",
                    "bad-for.yml: 6:14: for: not a valid duration string: \"soon\" (group \"g\", rule 1)"));

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> eachMalformedFileHasItsError() {
        String promtool = onPath("promtool");
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Path f = dir.resolve(c.name() + ".yml");
            Files.writeString(f, c.yaml());
            RuleLoadException e = assertThrows(RuleLoadException.class, () -> RuleFiles.parser().parse(f, f.getFileName().toString()));
            assertEquals(List.of(c.error()), e.errors());
            if (promtool != null) {
                Process p = new ProcessBuilder(promtool, "check", "rules", f.getFileName().toString()).directory(dir.toFile())
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                p.waitFor(30, TimeUnit.SECONDS);
                assertEquals(1, p.exitValue(), "promtool accepted " + c.name() + ":\n" + out);
            }
        }));
    }

    @Test
    void utf8NamesAreValidAsInPrometheus3() throws Exception {
        Path f = dir.resolve("utf8.yml");
        Files.writeString(f, "groups:\n  - name: g\n    rules:\n      - record: \"tokens per user\"\n        expr: up\n"
                + "      - alert: A\n        expr: up\n        labels:\n          \"0team\": x\n");
        assertEquals(2, RuleFiles.parser().parse(f, "utf8.yml").groups().get(0).rules().size());
    }

    private static String onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(d, name);
            if (f.canExecute()) return f.getAbsolutePath();
        }
        return null;
    }
}
