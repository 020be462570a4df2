package tally.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class NestingLimitTest {
    /** Found by fuzzing the query API: 1,600 unary minus signs parsed, then overflowed a later walk (HTTP 500). */
    @Test
    void deepQueriesAreRefusedBeforeAnythingRecursiveReadsThem() {
        for (String q : List.of("-".repeat(1600) + "x", "(".repeat(3000) + "x" + ")".repeat(3000), "abs(".repeat(300) + "x" + ")".repeat(300),
                "x" + " + 1".repeat(300), "x" + "[1m:]".repeat(300), "1 ^ ".repeat(2000) + "1")) {
            ParseException e = assertThrows(ParseException.class, () -> PromQLParser.parseExpr(q), q.substring(0, 20));
            assertEquals("expression nested too deeply (more than 256 levels of brackets and operators)", e.reason());
            assertTrue(e.position().start() > 0 && e.position().end() <= q.length(), e.getMessage());
        }
        PromQLParser.parseExpr("(".repeat(200) + "x" + ")".repeat(200)); // deep, but under the limit
    }

    /** Every expression of the test scripts (Tally's and, when present, Prometheus's) is far below the limit. */
    @Test
    void realQueriesStayFarBelowTheLimit() throws Exception {
        Pattern eval = Pattern.compile("^\\s*eval\\S*\\s+(?:instant\\s+at\\s+\\S+|range\\s+from\\s+\\S+\\s+to\\s+\\S+\\s+step\\s+\\S+)\\s+(.+)$");
        int max = 0;
        String deepest = "";
        for (Path dir : List.of(Path.of("src/test/resources/promql"), Path.of("../../shared/reference/promql-tests"))) {
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".test")).toList()) {
                    for (String line : Files.readAllLines(f)) {
                        Matcher m = eval.matcher(line);
                        if (m.matches() && NestingLimit.measure(m.group(1)) > max) {
                            max = NestingLimit.measure(m.group(1));
                            deepest = m.group(1);
                        }
                    }
                }
            }
        }
        System.out.println("deepest test-script expression: " + max + ": " + deepest);
        assertTrue(max < NestingLimit.MAX / 4, max + ": " + deepest);
    }
}
