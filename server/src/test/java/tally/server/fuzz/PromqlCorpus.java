package tally.server.fuzz;

import tally.promql.ast.FunctionSignature;
import tally.promql.ast.Functions;
import tally.server.grafana.DashboardQueries;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * PromQL seeds: every expression of Tally's own test scripts ({@code promql/src/test/resources/promql}) and of the
 * repository's Grafana dashboards; with {@code -Dfuzz.reference=true} (bench/fuzz.sh) also Prometheus's test scripts
 * in ../shared/reference/promql-tests when they exist ({@code -Dfuzz.reference=DIR} names another reference directory). The short run in mvn test uses the committed ones only, so it
 * is the same everywhere.
 */
final class PromqlCorpus {
    private static final Pattern EVAL = Pattern.compile(
            "^\\s*eval(?:_fail|_warn|_info|_ordered)?\\s+(?:instant\\s+at\\s+\\S+|range\\s+from\\s+\\S+\\s+to\\s+\\S+\\s+step\\s+\\S+)\\s+(.+)$");

    private PromqlCorpus() {}

    static List<String> expressions() {
        Set<String> out = new LinkedHashSet<>();
        Path root = repoRoot();
        scripts(root.resolve("promql/src/test/resources/promql"), out);
        for (DashboardQueries.Query q : DashboardQueries.all()) out.add(q.expr());
        String reference = System.getProperty("fuzz.reference", "false");
        if (!reference.equals("false")) {
            Path dir = reference.equals("true") ? root.resolveSibling("shared").resolve("reference") : Path.of(reference);
            Path ref = dir.resolve("promql-tests");
            if (Files.isDirectory(ref)) scripts(ref, out);
        }
        out.removeIf(String::isBlank);
        return new ArrayList<>(out);
    }

    /** Words, operators and awkward literals worth inserting into a query. */
    static List<byte[]> tokens() {
        List<String> t = new ArrayList<>(List.of("(", ")", "[", "]", "{", "}", ",", ":", "=", "!=", "=~", "!~", "+", "-", "*",
                "/", "%", "^", "==", ">", "<", ">=", "<=", "atan2", "and", "or", "unless", "bool", "on", "ignoring",
                "group_left", "group_right", "by", "without", "offset", "@", "start()", "end()", "sum", "avg", "count",
                "min", "max", "group", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values", "limitk",
                "limit_ratio", "5m", "1h30m", "0s", "1y", "999999999999d", "-5m", "1ms", "[5m:1m]", "[5m:]", "offset -1h",
                "@ 1e18", "@ -1", "NaN", "Inf", "-Inf", "0x1f", "1e309", "1_000", ".5", "\"\\u00ff\"", "'\\x'", "`raw`",
                "\"\\", "{\"utf8.name\"}", "{__name__=~\".+\"}", "\"(\"", "\".*\"", "# comment\n", "\n", "\t", "up",
                "claude_code_cost_usage_USD_total", "le", "__name__", "session_id", "((((((((", "))))))))"));
        for (FunctionSignature f : Functions.all().values()) t.add(f.name() + "(");
        List<byte[]> out = new ArrayList<>();
        for (String s : t) out.add(s.getBytes(StandardCharsets.UTF_8));
        return out;
    }

    private static void scripts(Path dir, Set<String> out) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".test")).sorted().toList()) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    Matcher m = EVAL.matcher(line);
                    if (m.matches()) out.add(m.group(1).trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository's root (tests run in server/). */
    static Path repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("promql/src/test/resources/promql"))) return dir;
        }
        throw new IllegalStateException("no promql/src/test/resources/promql above " + Path.of("").toAbsolutePath());
    }
}
