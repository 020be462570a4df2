package tally.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tally.promql.ast.Expr;

/**
 * Every expression of the community dashboards (reference/dashboards/queries.txt) parses after the
 * Grafana variables are substituted as Grafana would, and prints to text that parses to the same form.
 */
class DashboardQueriesTest {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::\\w+)?}|\\$(\\w+)|\\[\\[(\\w+)]]");
    private static final Pattern REGEX_MATCH_STRING = Pattern.compile("([=!]~\\s*)\"([^\"]*)\"");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*?)(?:,\\s*(\\w+))?\\)\\s*");

    @Test
    void everyDashboardExpressionParses() throws IOException {
        Path root = ReferenceFiles.root();
        if (root == null) System.out.println("DashboardQueriesTest: no ../shared/reference here, skipping the dashboard queries");
        assumeTrue(root != null, "reference material not available");
        List<String> lines = Files.readAllLines(root.resolve("dashboards/queries.txt"));
        List<String> failures = new ArrayList<>();
        int parsed = 0;
        int variableQueries = 0;
        String header = null;
        for (String line : lines) {
            if (line.startsWith("#")) {
                if (line.contains(" | ")) header = line;
                continue;
            }
            if (line.isBlank() || header == null) continue;
            String query = substitute(line);
            try {
                Matcher lv = LABEL_VALUES.matcher(query);
                if (header.endsWith("variable") && lv.matches()) {
                    // Grafana turns label_values(selector, label) into a series/label-values API call with match[].
                    if (lv.group(2) != null) PromQLParser.parseSeriesSelector(lv.group(1).trim());
                    variableQueries++;
                } else {
                    Expr e = PromQLParser.parseExpr(query);
                    String problem = UpstreamTestScriptsTest.roundTripProblem(e);
                    if (problem != null) failures.add(query + "\n    -> round trip: " + problem);
                }
                parsed++;
            } catch (RuntimeException | AssertionError e) {
                failures.add(query + "\n    -> " + e.getMessage());
            }
            header = null;
        }
        System.out.println("DashboardQueriesTest: " + parsed + " expressions parsed (" + variableQueries
                + " of them label_values variable queries), " + failures.size() + " failed");
        assertEquals(List.of(), failures);
        assertFalse(parsed < 300, "expected about 303 expressions, found " + parsed);
    }

    /** Grafana's interpolation: built-in intervals, multi-value variables as (a|b) inside regex matchers. */
    static String substitute(String q) {
        q = q.replace("$__rate_interval", "1m0s").replace("${__rate_interval}", "1m0s")
             .replace("$__interval_ms", "30000").replace("$__interval", "30s")
             .replace("$__range_s", "3600").replace("$__range_ms", "3600000").replace("$__range", "1h0m0s");
        q = replaceIn(q, REGEX_MATCH_STRING, 2, "(claude-sonnet-4-5|claude-opus-4-1)");
        q = replaceIn(q, QUOTED, 1, "claude-sonnet-4-5");
        return VARIABLE.matcher(q).replaceAll("0.5");
    }

    private static String replaceIn(String q, Pattern strings, int group, String value) {
        Matcher m = strings.matcher(q);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String inner = VARIABLE.matcher(m.group(group)).replaceAll(Matcher.quoteReplacement(value));
            String whole = m.group().substring(0, m.start(group) - m.start()) + inner + m.group().substring(m.end(group) - m.start());
            m.appendReplacement(sb, Matcher.quoteReplacement(whole));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
