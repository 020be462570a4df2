package tally.promql.test;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tally.promql.parser.ParseException;
import tally.promql.parser.PromQLParser;

/** Every expression in Tally's own scripts is valid PromQL for Tally's parser. */
class OwnScriptExpressionsTest {
    @Test
    void everyEvalExpressionParses() throws Exception {
        List<String> errors = new ArrayList<>();
        int evals = 0;
        for (Path f : TallyScripts.files()) {
            for (Command c : ScriptParser.parse(Files.readString(f))) {
                if (!(c instanceof EvalCommand e)) continue;
                evals++;
                try {
                    PromQLParser.parseExpr(e.expr());
                } catch (ParseException ex) {
                    errors.add(f.getFileName() + ":" + e.line() + ": " + ex.getMessage());
                }
            }
        }
        assertEquals(List.of(), errors, "of " + evals + " evals");
    }
}
