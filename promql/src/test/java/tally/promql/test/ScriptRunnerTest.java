package tally.promql.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Labels;

class ScriptRunnerTest {
    private final List<MemStorage> storages = new ArrayList<>();
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);

    private ScriptRunner runner(ScriptRunner.Options options) {
        return new ScriptRunner(() -> {
            MemStorage s = new MemStorage();
            storages.add(s);
            return s;
        }, new SelectorOnlyEvaluator(), options);
    }

    private String output() { return buf.toString(StandardCharsets.UTF_8); }

    @Test
    void loadsSamplesAtIntervalsWithGapsAndStaleness() {
        RunSummary s = runner(ScriptRunner.Options.STRICT).runScript("t.test", String.join("\n",
                "load 10s",
                "  metric 0 1 stale 2 _ 5",
                "",
                "eval instant at 15s metric",
                "  metric 1",
                "",
                "eval instant at 20s metric",
                "",
                "eval instant at 35s metric",
                "  metric 2",
                "",
                "eval instant at 329s metric",
                "  metric 5",
                "",
                "eval range from 0 to 50s step 10s metric",
                "  metric 0 1 _ 2 2 5",
                ""), out);
        assertEquals(5, s.passed(), output());
        assertEquals(0, s.failed());
        MemStorage st = storages.get(0);
        var samples = st.data.get(Labels.of("__name__", "metric"));
        assertEquals(List.of(0L, 10_000L, 20_000L, 30_000L, 50_000L), new ArrayList<>(samples.keySet()));
        assertEquals(1, st.commits);
        assertEquals("5 passed, 0 failed\n", output());
    }

    @Test
    void reportsOneLinePerFailureAndTotals() {
        RunSummary s = runner(ScriptRunner.Options.PLAIN).runScript("f.test", String.join("\n",
                "load 1m",
                "  up{job=\"a\"} 1",
                "",
                "eval instant at 0 up",
                "  up{job=\"a\"} 2",
                "",
                "eval instant at 0 up",
                "  up{job=\"a\"} 1",
                "",
                "eval instant at 0 rate(up[1m])",
                ""), out);
        assertEquals(1, s.passed());
        assertEquals(2, s.failed());
        String[] lines = output().split("\n");
        assertEquals("f.test:4: up: expected 2 for up{job=\"a\"} but got 1", lines[0]);
        assertTrue(lines[1].startsWith("f.test:10: rate(up[1m]): parse error: "), lines[1]);
        assertEquals("1 passed, 2 failed", lines[2]);
        assertEquals(3, lines.length);
    }

    @Test
    void expectedFailuresPassOnlyWithTheRightMessage() {
        RunSummary s = runner(ScriptRunner.Options.PLAIN).runScript("e.test", String.join("\n",
                "eval instant at 0 nope(",
                "  expect fail regex: parse error",
                "",
                "eval_fail instant at 0 nope(",
                "  expected_fail_message something else",
                "",
                "eval instant at 0 up",
                "  expect fail",
                ""), out);
        assertEquals(1, s.passed(), output());
        assertEquals(2, s.failed());
        assertTrue(s.failures().get(0).startsWith("e.test:4: nope(: expected error \"something else\" but got: "));
        assertEquals("e.test:7: up: expected error evaluating query but got none", s.failures().get(1));
    }

    @Test
    void skipsEvalsThatNeedNativeHistogramsOrStartTimestamps() {
        RunSummary s = runner(ScriptRunner.Options.STRICT).runScript("h.test", String.join("\n",
                "load 1m",
                "  h {{schema:0 sum:1 count:1}}x2",
                "  f 1 2 3",
                "  c{x=\"1\"}@st -30s",
                "  c{x=\"1\"} 1",
                "",
                "load_with_nhcb 1m",
                "  lat_bucket{le=\"1\"} 1",
                "  lat_bucket{le=\"+Inf\"} 2",
                "",
                "eval instant at 1m h",
                "",
                "eval instant at 1m c",
                "  c{x=\"1\"} 1",
                "",
                "eval instant at 1m lat",
                "",
                "eval instant at 1m f",
                "  f 2",
                "",
                "eval instant at 1m f",
                "  f {{count:1}}",
                "",
                "eval instant at 1m f[1m] smoothed",
                "",
                "eval instant at 1m experimental_fn(f)",
                ""), out);
        assertEquals(1, s.passed(), output());
        assertEquals(0, s.failed(), output());
        assertEquals(6, s.skipped());
        assertEquals("h.test:11: h: skipped: selects native-histogram samples", s.skips().get(0));
        assertEquals("h.test:13: c: skipped: selects start timestamps (@st)", s.skips().get(1));
        assertTrue(s.skips().get(2).endsWith("selects native histograms with custom buckets (load_with_nhcb)"));
        assertTrue(s.skips().get(3).endsWith("skipped: expects native-histogram results"));
        assertTrue(s.skips().get(4).endsWith("skipped: needs extended range selectors (anchored/smoothed)"));
        assertEquals("h.test:26: experimental_fn(f): skipped: function \"experimental_fn\" is not supported", s.skips().get(5));
        assertEquals("1 passed, 0 failed, 6 skipped\n", output());
    }

    @Test
    void clearGivesAFreshStorageAndClosesTheOldOne() {
        RunSummary s = runner(ScriptRunner.Options.STRICT).runScript("c.test", String.join("\n",
                "load 1m",
                "  a 1",
                "",
                "clear",
                "",
                "eval instant at 0 a",
                "",
                "load 1m",
                "  a 7",
                "",
                "eval instant at 0 a",
                "  a 7",
                ""), out);
        assertEquals(2, s.passed(), output());
        assertEquals(2, storages.size());
        assertTrue(storages.get(0).closed);
        assertTrue(storages.get(1).closed, "closed at the end of the file");
    }

    @Test
    void strictModeCatchesResultsThatDependOnTheEvalTime() {
        // The stand-in ignores @ pinning for numbers only; a selector result changes with the eval
        // time unless pinned, so the cross-checks must pass for a correct implementation.
        RunSummary s = runner(ScriptRunner.Options.STRICT).runScript("s.test", String.join("\n",
                "load 1m",
                "  a 0+1x10",
                "",
                "eval instant at 5m a",
                "  a 5",
                "",
                "eval instant at 5m 3",
                "  3",
                ""), out);
        assertEquals(2, s.passed(), output());
    }

    @Test
    void runsFilesAndDirectoriesInNameOrder(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("b.test"), "eval instant at 0 1\n  2\n");
        Files.writeString(dir.resolve("a.test"), "eval instant at 0 1\n  1\n");
        Files.writeString(dir.resolve("notes.txt"), "not a script");
        Files.writeString(dir.resolve("bad.test"), "what is this\n");
        RunSummary s = runner(ScriptRunner.Options.STRICT).run(List.of(dir, dir.resolve("missing.test")), out);
        assertEquals(1, s.passed());
        assertEquals(3, s.failed());
        String[] lines = output().split("\n");
        assertEquals(dir.resolve("b.test") + ":1: 1: expected scalar 2 but got 1", lines[0]);
        assertEquals(dir.resolve("bad.test") + ":1: invalid command \"what is this\"", lines[1]);
        assertTrue(lines[2].endsWith("missing.test: cannot read: no such file or directory"));
        assertEquals("1 passed, 3 failed", lines[3]);
    }

    @Test
    void aBrokenStorageAbortsOnlyItsFile() {
        ScriptRunner r = new ScriptRunner(() -> new MemStorage() {
            @Override
            public tally.model.Appender appender() {
                throw new IllegalStateException("disk on fire");
            }
        }, new SelectorOnlyEvaluator(), ScriptRunner.Options.STRICT);
        RunSummary s = r.runScript("b.test", "load 1m\n  a 1\n\neval instant at 0 a\n  a 1\n", out);
        assertEquals(0, s.passed());
        assertEquals(List.of("b.test:1: script aborted: java.lang.IllegalStateException: disk on fire"), s.failures());
    }
}
