package tally.promql.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tally.promql.engine.Engine;
import tally.promql.engine.EngineOptions;
import tally.promql.parser.PromQLParser;

class DelayedNameRemovalTest {
    private static boolean nameAfterDrop(String q) {
        return DelayedNameRemoval.nameUsedAfterDrop(PromQLParser.parseExpr(q));
    }

    @Test
    void nameUsedAboveANameDroppingOperation() {
        assertTrue(nameAfterDrop("sum by (__name__) (rate(x[5m]))"));
        assertTrue(nameAfterDrop("label_replace(rate(x[5m]), \"dst\", \"$1\", \"__name__\", \"(.+)\")"));
        assertTrue(nameAfterDrop("label_join(x * 2, \"__name__\", \"_\", \"env\")"));
        assertTrue(nameAfterDrop("sum by (__name__) (a or -b)"));
        assertFalse(nameAfterDrop("sum by (__name__) (a or b)"));          // nothing drops the name
        assertFalse(nameAfterDrop("sum by (__name__) (last_over_time(a[5m]))"));
        assertFalse(nameAfterDrop("rate(sum by (__name__) (a)[5m:])"));    // the drop is above, not below
        assertFalse(nameAfterDrop("sum by (env) (rate(x[5m]))"));
    }

    @Test
    void collisionsCountOnlyWhenANameIsDropped() {
        String collision = "vector cannot contain metrics with the same labelset";
        assertTrue(DelayedNameRemoval.collisionFromEarlyDrop(PromQLParser.parseExpr("sum by (env) (rate({env=\"1\"}[5m]))"), collision));
        assertFalse(DelayedNameRemoval.collisionFromEarlyDrop(PromQLParser.parseExpr("{env=\"1\"}"), collision));
        assertFalse(DelayedNameRemoval.collisionFromEarlyDrop(PromQLParser.parseExpr("rate(x[5m])"), "other error"));
    }

    @Test
    void runnerSkipsFailingEvalsThatNeedDelayedRemovalAndStillChecksTheRest() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        RunSummary s = new ScriptRunner(MemStorage::new, new EngineEvaluator(new Engine(EngineOptions.defaults())),
                ScriptRunner.Options.STRICT).runScript("n.test", String.join("\n",
                "load 5m",
                "  a_total{env=\"1\"} 0 60 120",
                "  b_total{env=\"1\"} 60 120 180",
                "",
                "# late removal keeps the series apart until sum: Tally collides at rate",
                "eval instant at 10m sum(rate({env=\"1\"}[10m])) by (env)",
                "  {env=\"1\"} 0.4",
                "",
                "# a wrong expectation with no name dependency still fails",
                "eval instant at 10m sum(rate(a_total[10m]))",
                "  {} 7",
                ""), new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(1, s.skipped(), out);
        assertTrue(s.skips().get(0).contains("delayed __name__ removal"), s.skips().toString());
        assertEquals(1, s.failed(), out);
    }
}
