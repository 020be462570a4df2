package tally.promql.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tally.model.Labels;

class ResultComparatorTest {
    private static EvalCommand eval(String script) throws ScriptSyntaxException {
        return (EvalCommand) ScriptParser.parse(script).get(0);
    }

    private static ActualValue.Sample sample(double v, String... labels) {
        return new ActualValue.Sample(Labels.of(labels), v);
    }

    private static String instant(EvalCommand cmd, ActualValue v) {
        return ResultComparator.compare(cmd, v, cmd.start(), cmd.expectsRangeVector() ? cmd.end() : Long.MIN_VALUE, cmd.step());
    }

    @Test
    void vectorsMatchAsSetsWithTolerance() throws Exception {
        EvalCommand cmd = eval("eval instant at 1m x\n  x{a=\"1\"} 1\n  x{a=\"2\"} NaN\n");
        ActualValue ok = new ActualValue.Vector(List.of(sample(Double.NaN, "__name__", "x", "a", "2"),
                sample(1.0000000001, "__name__", "x", "a", "1")));
        assertNull(instant(cmd, ok));
        String wrong = instant(cmd, new ActualValue.Vector(List.of(sample(1.1, "__name__", "x", "a", "1"),
                sample(Double.NaN, "__name__", "x", "a", "2"))));
        assertEquals("expected 1 for x{a=\"1\"} but got 1.1", wrong);
        assertEquals("expected metric x{a=\"2\"} with [NaN] not found",
                instant(cmd, new ActualValue.Vector(List.of(sample(1, "__name__", "x", "a", "1")))));
        assertTrue(instant(cmd, new ActualValue.Vector(List.of(sample(1, "a", "1")))).startsWith("unexpected metric {a=\"1\"}"));
    }

    @Test
    void orderMattersOnlyWhenOrdered() throws Exception {
        ActualValue swapped = new ActualValue.Vector(List.of(sample(2, "a", "2"), sample(1, "a", "1")));
        assertNull(instant(eval("eval instant at 0 x\n  {a=\"1\"} 1\n  {a=\"2\"} 2\n"), swapped));
        String err = instant(eval("eval instant at 0 x\n  expect ordered\n  {a=\"1\"} 1\n  {a=\"2\"} 2\n"), swapped);
        assertEquals("expected metric {a=\"2\"} with [2] at position 2 but was at 1", err);
    }

    @Test
    void emptyExpectationNeedsAnEmptyResult() throws Exception {
        EvalCommand cmd = eval("eval instant at 0 x\n");
        assertNull(instant(cmd, new ActualValue.Vector(List.of())));
        assertNull(instant(cmd, new ActualValue.Matrix(List.of())));
        assertTrue(instant(cmd, new ActualValue.Scalar(1)).startsWith("expected vector or matrix result"));
    }

    @Test
    void scalarsAndStrings() throws Exception {
        assertNull(instant(eval("eval instant at 0 1\n  1.0000000001\n"), new ActualValue.Scalar(1)));
        assertEquals("expected scalar 2 but got 3", instant(eval("eval instant at 0 1\n  2\n"), new ActualValue.Scalar(3)));
        assertTrue(instant(eval("eval instant at 0 1\n  2\n"), new ActualValue.Vector(List.of())).startsWith("expected scalar result"));
        assertNull(instant(eval("eval instant at 0 \"a\"\n  expect string \"a\"\n"), new ActualValue.Str("a")));
        assertEquals("expected string \"a\" but got \"b\"",
                instant(eval("eval instant at 0 \"a\"\n  expect string \"a\"\n"), new ActualValue.Str("b")));
    }

    @Test
    void rangeResultsCompareTimestampsAndSkipBlanks() throws Exception {
        EvalCommand cmd = eval("eval range from 0 to 2m step 1m x\n  x 1 _ 3\n");
        Labels x = Labels.of("__name__", "x");
        ActualValue ok = new ActualValue.Matrix(List.of(new ActualValue.Points(x, new long[] {0, 120_000}, new double[] {1, 3}, 2)));
        assertNull(ResultComparator.compare(cmd, ok, cmd.start(), cmd.end(), cmd.step()));
        ActualValue shifted = new ActualValue.Matrix(List.of(new ActualValue.Points(x, new long[] {0, 60_000}, new double[] {1, 3}, 2)));
        assertTrue(ResultComparator.compare(cmd, shifted, cmd.start(), cmd.end(), cmd.step())
                .startsWith("expected float value at index 1 for x{} to have timestamp 120000, but it had timestamp 60000"));
        ActualValue extra = new ActualValue.Matrix(List.of(new ActualValue.Points(x, new long[] {0, 60_000, 120_000}, new double[] {1, 2, 3}, 3)));
        assertTrue(ResultComparator.compare(cmd, extra, cmd.start(), cmd.end(), cmd.step()).startsWith("expected 2 float points"));
    }

    @Test
    void matrixMustBeSortedByLabels() throws Exception {
        EvalCommand cmd = eval("eval range from 0 to 0 step 1m x\n  {a=\"1\"} 1\n  {a=\"2\"} 2\n");
        ActualValue unsorted = new ActualValue.Matrix(List.of(
                new ActualValue.Points(Labels.of("a", "2"), new long[] {0}, new double[] {2}, 1),
                new ActualValue.Points(Labels.of("a", "1"), new long[] {0}, new double[] {1}, 1)));
        assertTrue(ResultComparator.compare(cmd, unsorted, 0, 0, 60_000).startsWith("matrix results should always be sorted"));
    }

    @Test
    void instantRangeVectorUsesTheExpectedGrid() throws Exception {
        EvalCommand cmd = eval("eval instant at 1m m[1m]\n  expect range vector from 10s to 1m step 10s\n  m 2 3 4 5 6\n");
        long[] ts = {10_000, 20_000, 30_000, 40_000, 50_000};
        ActualValue m = new ActualValue.Matrix(List.of(new ActualValue.Points(Labels.of("__name__", "m"), ts, new double[] {2, 3, 4, 5, 6}, 5)));
        assertNull(instant(cmd, m));
        EvalCommand plain = eval("eval instant at 1m m[1m]\n  m 2\n");
        assertTrue(instant(plain, m).contains("query time range cannot return this many points"));
    }
}
