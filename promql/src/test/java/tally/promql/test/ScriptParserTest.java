package tally.promql.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tally.model.Labels;

class ScriptParserTest {
    private static final String EXAMPLE = String.join("\n",
            "# counters",
            "load 5m",
            "    http_requests{job=\"api\", instance=\"0\"}  0+10x10",
            "\thttp_requests{job=\"api\", instance=\"1\"}  0+20x10",
            "    http_requests{job=\"api\", instance=\"0\"}  1 2",
            "",
            "eval instant at 50m sum by (job) (http_requests)",
            "    {job=\"api\"} 300",
            "",
            "eval range from 0 to 10m step 5m http_requests{instance=\"1\"}",
            "    http_requests{job=\"api\", instance=\"1\"} 0 20 _",
            "",
            "eval instant at 50m topk(1, http_requests)",
            "    expect ordered",
            "    expect no_warn",
            "    http_requests{job=\"api\", instance=\"1\"} 200",
            "",
            "eval instant at 50m 1 + 1",
            "    2",
            "",
            "eval instant at 50m http_requests{job=\"nope\"}",
            "",
            "eval instant at 50m http_requests + on(job) http_requests",
            "    expect fail regex: many-to-many matching not allowed",
            "",
            "clear",
            "load_with_nhcb 1m",
            "  a_bucket{le=\"1\"} 1",
            "  b{x=\"y\"}@st -30s",
            "  b{x=\"y\"} 1",
            "");

    @Test
    void parsesTheFormatExample() throws Exception {
        List<Command> cmds = ScriptParser.parse(EXAMPLE);
        assertEquals(9, cmds.size());
        LoadCommand load = assertInstanceOf(LoadCommand.class, cmds.get(0));
        assertEquals(2, load.line());
        assertEquals(300_000, load.intervalMs());
        assertEquals(2, load.series().size(), "a later line for the same labels replaces the earlier one");
        assertEquals(2, load.series().get(1).values().size());
        assertEquals(5, load.series().get(1).line());

        EvalCommand sum = assertInstanceOf(EvalCommand.class, cmds.get(1));
        assertEquals("sum by (job) (http_requests)", sum.expr());
        assertEquals(3_000_000, sum.evalTime());
        assertEquals(1, sum.expected().get(Labels.of("job", "api")).position());

        EvalCommand range = (EvalCommand) cmds.get(2);
        assertTrue(range.isRange());
        assertEquals(600_000, range.end());
        assertEquals(300_000, range.step());
        assertEquals(3, range.expected().values().iterator().next().values().size());

        EvalCommand topk = (EvalCommand) cmds.get(3);
        assertTrue(topk.isOrdered());
        assertTrue(topk.noWarn);
        assertEquals(1, topk.expected().size());

        assertEquals(2.0, ((EvalCommand) cmds.get(4)).expectedScalar());
        EvalCommand empty = (EvalCommand) cmds.get(5);
        assertTrue(empty.expected().isEmpty());
        assertNull(empty.expectedScalar());
        EvalCommand fail = (EvalCommand) cmds.get(6);
        assertTrue(fail.expectsFailure());
        assertTrue(fail.fail.get(0).matches("found duplicate series; many-to-many matching not allowed: x"));

        assertInstanceOf(ClearCommand.class, cmds.get(7));
        LoadCommand nhcb = (LoadCommand) cmds.get(8);
        assertTrue(nhcb.withNhcb());
        assertFalse(nhcb.series().get(0).startTimestamps());
        assertTrue(nhcb.series().get(1).startTimestamps());
    }

    @Test
    void legacyFormsAndExpectLines() throws Exception {
        List<Command> cmds = ScriptParser.parse(String.join("\n",
                "eval_fail instant at 0 foo(",
                "  expected_fail_message parse error",
                "",
                "eval_ordered instant at 1m x",
                "  x 1",
                "",
                "eval_warn range from 0 to 1m step 30s y",
                "",
                "eval instant at 1m z",
                "  expect warn msg: PromQL warning: a (1:1)",
                "  expect info regex: b+",
                "  expect fail msg:exact text",
                "",
                "eval instant at 2m w[1m]",
                "  expect range vector from 1m10s to 2m step 10s",
                "  w 1 _ 3",
                "",
                "eval instant at 50m \"Foo\"",
                "  expect string \" Foo \"",
                ""));
        EvalCommand f = (EvalCommand) cmds.get(0);
        assertTrue(f.expectsFailure());
        assertEquals("parse error", f.legacyFailMessage);
        assertTrue(((EvalCommand) cmds.get(1)).isOrdered());
        assertTrue(((EvalCommand) cmds.get(2)).legacyWarn);
        EvalCommand z = (EvalCommand) cmds.get(3);
        assertTrue(z.warn.get(0).matches("PromQL warning: a (1:1)"));
        assertFalse(z.warn.get(0).matches("PromQL warning: a (1:2)"));
        assertTrue(z.info.get(0).matches("abbbc"));
        assertTrue(z.fail.get(0).matches("exact text"));
        EvalCommand rv = (EvalCommand) cmds.get(4);
        assertTrue(rv.expectsRangeVector());
        assertEquals(120_000, rv.evalTime());
        assertEquals(70_000, rv.start());
        assertEquals(10_000, rv.step());
        assertEquals(" Foo ", ((EvalCommand) cmds.get(5)).expectedString());
    }

    @Test
    void aCommentEndsABlockAndTheNextLineMustBeACommand() {
        ScriptSyntaxException e = assertThrows(ScriptSyntaxException.class, () -> ScriptParser.parse(String.join("\n",
                "eval instant at 0 x",
                "# a comment cuts the block",
                "  x 1")));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith("invalid command"));
    }

    @Test
    void aScalarLineEndsTheBlock() {
        assertThrows(ScriptSyntaxException.class, () -> ScriptParser.parse("eval instant at 0 1\n  1\n  {} 2\n"));
    }

    @Test
    void rejectsMultipleValuesInAnInstantEval() {
        ScriptSyntaxException e = assertThrows(ScriptSyntaxException.class,
                () -> ScriptParser.parse("eval instant at 0 x\n  x 1 2\n"));
        assertEquals(2, e.line());
    }

    @Test
    void rejectsBadHeadersAndDurations() {
        assertThrows(ScriptSyntaxException.class, () -> ScriptParser.parse("load\n"));
        assertThrows(ScriptSyntaxException.class, () -> ScriptParser.parse("load 5x\n a 1\n"));
        assertThrows(ScriptSyntaxException.class, () -> ScriptParser.parse("eval instant at 1.5m x\n"));
        assertThrows(ScriptSyntaxException.class, () -> ScriptParser.parse("eval range from 10m to 5m step 1m x\n"));
        assertThrows(ScriptSyntaxException.class, () -> ScriptParser.parse("eval instant at 0 x\n expect nothing\n"));
        assertThrows(ScriptSyntaxException.class, () -> ScriptParser.parse("eval instant at 0 x\n expect warn\n expect no_warn\n"));
    }

    @Test
    void parsesTallysOwnScripts() throws Exception {
        List<Path> files = TallyScripts.files();
        assertFalse(files.isEmpty(), "no scripts under " + TallyScripts.DIR);
        for (Path f : files) {
            try {
                ScriptParser.parse(Files.readString(f));
            } catch (ScriptSyntaxException e) {
                throw new AssertionError(f + ":" + e.line() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Every reference script must parse; this is where format corner cases show up first. */
    @Test
    void parsesEveryReferenceScript() throws IOException {
        Path tests = ReferencePaths.promqlTests();
        Assumptions.assumeTrue(tests != null, "shared/reference/promql-tests not found beside the repository: skipped");
        List<Path> files;
        try (Stream<Path> s = Files.walk(tests)) {
            files = s.filter(p -> p.toString().endsWith(".test")).sorted().toList();
        }
        assertFalse(files.isEmpty());
        int evals = 0;
        for (Path f : files) {
            try {
                for (Command c : ScriptParser.parse(Files.readString(f))) if (c instanceof EvalCommand) evals++;
            } catch (ScriptSyntaxException e) {
                throw new AssertionError(f + ":" + e.line() + ": " + e.getMessage(), e);
            }
        }
        assertTrue(evals > 2000, "evals parsed: " + evals);
    }
}
