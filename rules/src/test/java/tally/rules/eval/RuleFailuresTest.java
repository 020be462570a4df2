package tally.rules.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Appender;
import tally.model.Labels;
import tally.model.Storage;
import tally.promql.engine.Engine;
import tally.promql.engine.EngineOptions;
import tally.promql.engine.ErrorType;
import tally.promql.engine.PromQLException;
import tally.rules.file.RuleSource;
import tally.storage.TallyStorage;

/**
 * A rule that fails, whether its query times out or its output holds one series twice, fails alone: it shows
 * {@code err} with the reason, counts a failure, and the rules after it in the group are evaluated as usual; the
 * next evaluation starts afresh.
 */
class RuleFailuresTest {
    private static final String RULES = """
            groups:
              - name: g
                rules:
                  - record: slow:tokens
                    expr: sum(tokens)
                  - record: same:name
                    expr: '{__name__=~"tokens|other"}'
                  - record: after:failures
                    expr: count(tokens)
            """;

    @TempDir
    Path dir;

    @Test
    void aFailingRuleFailsOnlyItself() throws Exception {
        try (Storage storage = TallyStorage.scratch(dir.resolve("db"))) {
            Appender a = storage.appender();
            a.append(0, Labels.of("__name__", "tokens", "job", "a"), 0, 1);
            a.append(0, Labels.of("__name__", "other", "job", "a"), 0, 2);
            a.commit();
            RuleQuery engine = RuleQuery.of(new Engine(EngineOptions.defaults()), storage);
            boolean[] timeOut = {true};
            // the engine's own timeout error, raised for the first rule's first evaluation only
            RuleQuery query = (expr, text, t) -> {
                if (text.equals("sum(tokens)") && timeOut[0]) {
                    timeOut[0] = false;
                    throw new PromQLException(ErrorType.TIMEOUT, "query timed out in expression evaluation");
                }
                return engine.query(expr, text, t);
            };
            try (RuleManager m = new RuleManager(query, storage, storage, alerts -> { }, RuleFiles.parser(), () -> 60_000L, 1)) {
                RuleGroup g = m.load(List.of(RuleSource.builtin("failures.yml", RULES)),
                        new RuleManager.Options(60_000, 0, Map.of(), "http://tally", 60_000, 3_600_000, 600_000), false).get(0);
                g.eval(60_000, 60_000);
                Rule slow = g.rules().get(0), same = g.rules().get(1), after = g.rules().get(2);
                assertEquals(Rule.Health.ERR, slow.health());
                assertEquals("query timed out in expression evaluation", slow.lastError());
                assertEquals(Rule.Health.ERR, same.health());
                assertTrue(same.lastError().contains("same labelset"), same.lastError());
                assertEquals(Rule.Health.OK, after.health());
                assertEquals(3, g.evaluationsTotal());
                assertEquals(2, g.failuresTotal());

                g.eval(120_000, 120_000);
                assertEquals(Rule.Health.OK, slow.health());
                assertNull(slow.lastError());
                assertEquals(Rule.Health.ERR, same.health());
                assertEquals(3, g.failuresTotal());
            }
        }
    }
}
