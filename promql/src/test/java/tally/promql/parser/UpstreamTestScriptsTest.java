package tally.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tally.promql.ast.Expr;

/**
 * Parses every {@code eval} expression of Prometheus's own test scripts (reference/promql-tests/upstream).
 * Evals expected to succeed must parse, except for the experimental features listed in
 * {@link #UNSUPPORTED}; for expected failures we only report whether the parser already rejects them.
 */
class UpstreamTestScriptsTest {
    private static final Pattern INSTANT = Pattern.compile("^eval(?:_(fail|warn|ordered|info))?\\s+instant\\s+(?:at\\s+(.+?))?\\s+(.+)$");
    private static final Pattern RANGE = Pattern.compile("^eval(?:_(fail|warn|info))?\\s+range\\s+from\\s+(.+)\\s+to\\s+(.+)\\s+step\\s+(.+?)\\s+(.+)$");
    /** Errors we give on purpose for experimental syntax the AST cannot represent. */
    private static final Pattern UNSUPPORTED = Pattern.compile("not supported");

    @Test
    void everyUpstreamEvalExpressionParses() throws IOException {
        Path root = ReferenceFiles.root();
        if (root == null) System.out.println("UpstreamTestScriptsTest: no ../shared/reference here, skipping");
        assumeTrue(root != null, "reference material not available");
        List<Path> files;
        try (Stream<Path> s = Files.list(root.resolve("promql-tests/upstream"))) {
            files = s.filter(p -> p.toString().endsWith(".test")).sorted().toList();
        }
        int ok = 0;
        int failExpected = 0;
        int failExpectedRejected = 0;
        List<String> unsupported = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        List<String> acceptedFailures = new ArrayList<>();
        List<String> rejectedFailures = new ArrayList<>();
        TreeMap<String, Integer> unsupportedByReason = new TreeMap<>();
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).trim();
                if (!line.toLowerCase(Locale.ROOT).startsWith("eval")) continue;
                Matcher m = INSTANT.matcher(line);
                String kind;
                String expr;
                if (m.matches()) {
                    kind = m.group(1);
                    expr = m.group(3);
                } else {
                    m = RANGE.matcher(line);
                    if (!m.matches()) continue;
                    kind = m.group(1);
                    expr = m.group(5);
                }
                boolean expectFail = "fail".equals(kind) || blockExpectsFailure(lines, i + 1);
                String where = file.getFileName() + ":" + (i + 1) + ": " + expr;
                try {
                    Expr parsed = PromQLParser.parseExpr(expr);
                    String roundTrip = roundTripProblem(parsed);
                    if (roundTrip != null) broken.add(where + "\n    -> round trip: " + roundTrip);
                    if (expectFail) {
                        failExpected++;
                        acceptedFailures.add(where);
                    } else {
                        ok++;
                    }
                } catch (ParseException e) {
                    if (expectFail) {
                        failExpected++;
                        failExpectedRejected++;
                        rejectedFailures.add(where + "\n    -> " + e.getMessage());
                    } else if (UNSUPPORTED.matcher(e.getMessage()).find()) {
                        unsupported.add(where + "\n    -> " + e.getMessage());
                        unsupportedByReason.merge(e.reason(), 1, Integer::sum);
                    } else {
                        broken.add(where + "\n    -> " + e.getMessage());
                    }
                }
            }
        }
        System.out.println("UpstreamTestScriptsTest: " + ok + " evals expected to succeed parse; " + unsupported.size()
                + " use unsupported experimental syntax " + unsupportedByReason + "; " + failExpected
                + " expected failures, " + failExpectedRejected + " of them already rejected at parse time");
        unsupported.forEach(u -> System.out.println("  unsupported: " + u));
        rejectedFailures.forEach(u -> System.out.println("  expected failure, rejected by the parser: " + u));
        acceptedFailures.forEach(u -> System.out.println("  expected failure, left to the engine: " + u));
        assertEquals(List.of(), broken);
    }

    /** Null when the printed form parses back to an equal tree, else what went wrong. */
    static String roundTripProblem(Expr parsed) {
        String printed = parsed.toString();
        try {
            Expr again = PromQLParser.parseExpr(printed);
            if (!AstPositions.strip(parsed).equals(AstPositions.strip(again))) return "printed as " + printed + ", reparsed as " + again;
            return null;
        } catch (ParseException e) {
            return "printed as " + printed + ", which does not parse: " + e.getMessage();
        }
    }

    private static boolean blockExpectsFailure(List<String> lines, int from) {
        for (int j = from; j < lines.size(); j++) {
            String l = lines.get(j).trim();
            if (l.isEmpty() || l.startsWith("#")) return false;
            if (l.startsWith("expect fail") || l.startsWith("expected_fail_")) return true;
        }
        return false;
    }
}
