package tally.rules.unittest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import tally.rules.eval.RuleFiles;
import tally.storage.TallyStorage;

/**
 * Rule unit-test files run by {@code tally test rules} (this runner over the real storage) and, for the files written
 * for both, by Debian's {@code promtool test rules} (2.42): the same PASS or FAIL. Files named {@code fail-*} must
 * fail, the others pass. {@code unittest/tally/} holds 3.x features promtool 2.42 does not know;
 * {@code unittest/prometheus/} holds Prometheus's own test files with the outcomes its tests expect.
 */
class UnitTestFilesTest {
    private static final Path ROOT = Path.of("src/test/resources/unittest");

    @TempDir
    Path scratch;
    private int dbs;

    private RuleUnitTester tester() {
        return new RuleUnitTester(() -> TallyStorage.scratch(scratch.resolve("db" + dbs++)), RuleFiles.parser());
    }

    private record Outcome(int code, String output) {}

    private Outcome tally(Path file, String... run) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = tester().run(List.of(file), List.of(run), new PrintStream(out, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8));
    }

    private static Outcome promtool(String promtool, Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(promtool, "test", "rules", file.getFileName().toString()).directory(file.getParent().toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        return new Outcome(p.exitValue(), out);
    }

    private static List<Path> testFiles(String dir) throws IOException {
        try (Stream<Path> s = Files.list(ROOT.resolve(dir))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".test.yml")).sorted().toList();
        }
    }

    private static int expected(Path file) {
        return file.getFileName().toString().startsWith("fail-") ? 1 : 0;
    }

    @TestFactory
    List<DynamicTest> bothEnginesAgree() throws IOException {
        String promtool = onPath("promtool");
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : testFiles("both")) {
            tests.add(DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
                Outcome t = tally(f);
                assertEquals(expected(f), t.code(), "tally test rules " + f + ":\n" + t.output());
                if (expected(f) == 0) assertTrue(t.output().contains("  SUCCESS"), t.output());
                else assertTrue(t.output().contains("  FAILED:"), t.output());
                Assumptions.assumeTrue(promtool != null, "promtool is not on PATH (apt-get install -y prometheus): tally alone checked");
                Outcome p = promtool(promtool, f);
                assertEquals(expected(f), p.code(), "promtool test rules " + f + ":\n" + p.output());
            }));
        }
        assertTrue(tests.size() >= 10, "test files: " + tests.size());
        return tests;
    }

    @TestFactory
    List<DynamicTest> prometheus3FeaturesPass() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : testFiles("tally")) {
            tests.add(DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
                Outcome t = tally(f);
                assertEquals(expected(f), t.code(), t.output());
            }));
        }
        return tests;
    }

    /** Prometheus's cmd/promtool/testdata with the outcomes of its unittest_test.go (@ and negative offsets on, as in 3.x servers). */
    @Test
    void prometheusOwnTestFiles() {
        Object[][] cases = {
                {"unittest-floats.yml", 0}, {"long-period.yml", 0}, {"bad-input-series.yml", 1}, {"bad-promql.yml", 1},
                {"bad-rules-syntax-test.yml", 1}, {"bad-rules-error-test.yml", 1}, {"failing.yml", 1},
                {"at-modifier-test.yml", 0}, {"negative-offset-test.yml", 0}, {"no-test-group-interval.yml", 0},
                {"start-time-test.yml", 0}, {"rules_run_no_fuzzy.yml", 1},
        };
        List<String> wrong = new ArrayList<>();
        for (Object[] c : cases) {
            Outcome t = tally(ROOT.resolve("prometheus").resolve((String) c[0]));
            if (t.code() != (int) c[1]) wrong.add(c[0] + ": exit " + t.code() + ", expected " + c[1] + "\n" + t.output());
        }
        assertEquals(List.of(), wrong);
        // native histograms: refused with the reason, not mistaken for a failing expectation
        Outcome hist = tally(ROOT.resolve("prometheus/unittest.yml"));
        assertEquals(1, hist.code());
        assertTrue(hist.output().contains("series test_histogram: native histograms are not supported by Tally"), hist.output());
        // --run selects test groups by regular expression
        Path run = ROOT.resolve("prometheus/rules_run.yml");
        assertEquals(1, tally(run).code());
        assertEquals(1, tally(run, "correct", "wrong").code());
        assertEquals(0, tally(run, "correct").code());
        assertEquals(1, tally(run, "wrong").code());
        Path fuzzy = ROOT.resolve("prometheus/rules_run_fuzzy.yml");
        assertEquals(0, tally(fuzzy, "correct").code());
        assertEquals(1, tally(fuzzy, "wrong").code());
    }

    @Test
    void failureOutputHasPromtoolsShape() throws IOException, InterruptedException {
        Path f = ROOT.resolve("both/fail-wrong-value.test.yml");
        Outcome t = tally(f);
        assertTrue(t.output().startsWith("Unit Testing:  " + f + "\n  FAILED:\n"), t.output());
        assertTrue(t.output().contains("    expr: \"job:tokens:rate4m30s\", time: 10m,\n"
                + "        exp: {__name__=\"job:tokens:rate4m30s\", job=\"a\"} 5E+00\n"
                + "        got: {__name__=\"job:tokens:rate4m30s\", job=\"a\"} 4E+00\n"), t.output());
        String promtool = onPath("promtool");
        Assumptions.assumeTrue(promtool != null, "promtool is not on PATH: shape checked against the recorded form only");
        Outcome p = promtool(promtool, f);
        assertTrue(p.output().contains("exp: {__name__=\"job:tokens:rate4m30s\", job=\"a\"} 5E+00"), p.output());
    }

    private static String onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (f.canExecute()) return f.getAbsolutePath();
        }
        return null;
    }
}
