package tally.promql.test;

import java.util.regex.Pattern;
import tally.model.Matcher;
import tally.promql.ast.Expr;
import tally.promql.ast.MatrixSelector;
import tally.promql.ast.VectorSelector;

/**
 * Why an eval cannot run on Tally, or null: data Tally does not store (native histograms, start
 * timestamps, type-and-unit labels) or syntax from Prometheus's experimental feature flags.
 */
final class Unsupported {
    private static final Pattern EXTENDED_RANGE = Pattern.compile("\\b(anchored|smoothed)\\b");
    private static final Pattern FILL = Pattern.compile("\\bfill(_left|_right)?\\s*\\(");
    private static final Pattern QUERY_CONTEXT_FN =
            Pattern.compile("\\b(step|range|start|end)\\s*\\(\\s*\\)", Pattern.CASE_INSENSITIVE);
    /** How Tally's parser and engine name a feature they deliberately lack ("smoothed modifier is not supported"). */
    private static final Pattern DECLARED = Pattern.compile("(?:is|are) not supported\\s*$");
    /** A range, subquery or offset duration that is an arithmetic expression or a bare number. */
    private static final Pattern DURATION_EXPR = Pattern.compile(
            "\\[[^\\]:]*[-+*/%^()][^\\]]*\\]|\\[[^\\]]*:[^\\]]*[-+*/%^()][^\\]]*\\]|\\boffset\\s*\\(|\\boffset\\s+-?\\s*\\d+[a-z]*\\s*[-+*/%^]");
    private static final Pattern NUMERIC_RANGE = Pattern.compile("\\[\\s*\\d+(\\.\\d+)?\\s*[\\]:]|:\\s*\\d+(\\.\\d+)?\\s*\\]");

    private Unsupported() {}

    /** An error by which the implementation declares a feature unsupported: skipped, not failed. */
    static boolean declared(String errorMessage) {
        return DECLARED.matcher(errorMessage).find();
    }

    /** For evals whose expression Tally's parser rejected: an experimental syntax feature, or null. */
    static String syntax(String expr) {
        if (EXTENDED_RANGE.matcher(expr).find()) return "needs extended range selectors (anchored/smoothed)";
        if (FILL.matcher(expr).find()) return "needs binary operator fill modifiers";
        if (QUERY_CONTEXT_FN.matcher(expr).find()) return "needs duration expressions (step()/range()/start()/end())";
        if (DURATION_EXPR.matcher(expr).find()) return "needs duration expressions";
        if (NUMERIC_RANGE.matcher(expr).find()) return "needs bare-number range durations";
        return null;
    }

    /** For parsed evals: a selector that reaches data Tally does not store, or null. */
    static String data(Expr expr, DataFeatures data) {
        String[] reason = {null};
        AstWalk.visit(expr, n -> {
            if (reason[0] != null) return;
            VectorSelector vs = n instanceof VectorSelector v ? v : n instanceof MatrixSelector m ? m.selector() : null;
            if (vs == null) return;
            for (Matcher m : vs.matchers()) {
                if (m.name().equals("__type__") || m.name().equals("__unit__")) {
                    reason[0] = "needs " + DataFeatures.Feature.TYPE_AND_UNIT.description;
                    return;
                }
            }
            DataFeatures.Feature f = data.selectedBy(vs.matchers());
            if (f != null) reason[0] = "selects " + f.description;
        });
        return reason[0];
    }
}
