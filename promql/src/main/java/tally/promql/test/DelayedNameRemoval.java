package tally.promql.test;

import java.util.List;
import java.util.Set;
import tally.model.Labels;
import tally.promql.ast.AggregateExpr;
import tally.promql.ast.BinaryExpr;
import tally.promql.ast.Call;
import tally.promql.ast.Expr;
import tally.promql.ast.ParenExpr;
import tally.promql.ast.StringLiteral;
import tally.promql.ast.UnaryExpr;
import tally.promql.functions.RangeFunctions;

/**
 * Prometheus's test engine removes {@code __name__} late (at the end of the query, or where a later step needs
 * labels); the server default, and Tally, removes it right at the name-dropping operation. Evals whose result
 * depends on that test-only setting are recognised by rule and, when they fail, skipped rather than failed:
 * <ol>
 * <li>a node looks at {@code __name__} (grouping, vector matching, label_replace/label_join source or target)
 *     above a name-dropping operation: late removal still sees the name there (skipped only when the eval
 *     fails, since many such results come out the same either way);
 * <li>the query fails with a label-set collision and contains a name-dropping operation: late removal lets
 *     the series stay apart until a later aggregation or relabelling separates or merges them.
 * </ol>
 */
final class DelayedNameRemoval {
    static final String REASON = "depends on the test engine's delayed __name__ removal (a test-only setting; server default off)";
    private static final String COLLISION = "vector cannot contain metrics with the same labelset";
    private static final Set<String> KEEPING_FUNCTIONS = Set.of("label_replace", "label_join", "sort", "sort_desc",
            "sort_by_label", "sort_by_label_desc", "absent", "absent_over_time", "scalar", "vector");

    private DelayedNameRemoval() {}

    /** Rule 1: a node using {@code __name__} has a name-dropping operation below it. */
    static boolean nameUsedAfterDrop(Expr expr) {
        boolean[] found = {false};
        AstWalk.visit(expr, n -> {
            if (!found[0] && usesName(n)) {
                for (Expr child : AstWalk.children(n)) if (containsDrop(child)) found[0] = true;
            }
        });
        return found[0];
    }

    /** Rule 2: the error is a label-set collision in a query that drops names somewhere. */
    static boolean collisionFromEarlyDrop(Expr expr, String errorMessage) {
        return errorMessage != null && errorMessage.contains(COLLISION) && containsDrop(expr);
    }

    static boolean containsDrop(Expr expr) {
        boolean[] found = {false};
        AstWalk.visit(expr, n -> {
            if (dropsName(n)) found[0] = true;
        });
        return found[0];
    }

    private static boolean dropsName(Expr e) {
        if (e instanceof Call c) {
            String f = c.function().name();
            return !KEEPING_FUNCTIONS.contains(f) && !RangeFunctions.keepsMetricName(f);
        }
        if (e instanceof BinaryExpr b) return !b.op().isSetOperator() && (!b.op().isComparison() || b.returnBool());
        return e instanceof UnaryExpr u && u.negate();
    }

    private static boolean usesName(Expr e) {
        if (e instanceof AggregateExpr a) return a.grouping().contains(Labels.METRIC_NAME);
        if (e instanceof BinaryExpr b) {
            return b.matching() != null && (b.matching().matchingLabels().contains(Labels.METRIC_NAME)
                    || b.matching().include().contains(Labels.METRIC_NAME));
        }
        if (e instanceof Call c) {
            String f = c.function().name();
            List<Expr> args = c.args();
            if (f.equals("label_replace")) return isName(args, 1) || isName(args, 3);
            if (f.equals("label_join")) {
                for (int i = 1; i < args.size(); i++) if (i != 2 && isName(args, i)) return true;
            }
        }
        return false;
    }

    private static boolean isName(List<Expr> args, int i) {
        if (i >= args.size()) return false;
        Expr e = args.get(i);
        while (e instanceof ParenExpr p) e = p.expr();
        return e instanceof StringLiteral s && s.value().equals(Labels.METRIC_NAME);
    }
}
