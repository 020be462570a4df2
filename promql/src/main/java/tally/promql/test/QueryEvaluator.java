package tally.promql.test;

import tally.model.Queryable;
import tally.promql.ast.Expr;

/**
 * What the runner needs from a PromQL implementation. Every method reports an error by throwing
 * an unchecked exception whose message is the error text scripts compare with {@code expect fail msg:}.
 */
public interface QueryEvaluator {
    Expr parse(String query);

    QueryOutcome instant(Queryable data, Expr expr, long timeMs);

    QueryOutcome range(Queryable data, Expr expr, long startMs, long endMs, long stepMs);

    /** With the text expr was parsed from, so annotations can name positions in it as Prometheus does. */
    default QueryOutcome instant(Queryable data, String query, Expr expr, long timeMs) {
        return instant(data, expr, timeMs);
    }

    default QueryOutcome range(Queryable data, String query, Expr expr, long startMs, long endMs, long stepMs) {
        return range(data, expr, startMs, endMs, stepMs);
    }
}
