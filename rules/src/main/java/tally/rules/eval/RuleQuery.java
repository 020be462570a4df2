package tally.rules.eval;

import java.util.ArrayList;
import java.util.List;
import tally.model.Labels;
import tally.model.Queryable;
import tally.promql.ast.Expr;
import tally.promql.engine.Engine;
import tally.promql.engine.InstantVector;
import tally.promql.engine.QueryResult;
import tally.promql.engine.Sample;
import tally.promql.engine.Scalar;

/** How rules ask PromQL: an instant query at a time, its result as a vector (a scalar becomes one label-less sample). */
@FunctionalInterface
public interface RuleQuery {
    List<Sample> query(Expr expr, String text, long timeMs);

    /** The engine over the storage, as Prometheus's rule manager queries its own TSDB. */
    static RuleQuery of(Engine engine, Queryable storage) {
        return (expr, text, timeMs) -> {
            QueryResult r = engine.instant(storage, expr, text, timeMs, null);
            if (r.value() instanceof InstantVector v) return v.samples();
            if (r.value() instanceof Scalar s) {
                List<Sample> one = new ArrayList<>(1);
                one.add(new Sample(Labels.EMPTY, s.t(), s.v()));
                return one;
            }
            throw new IllegalArgumentException("rule result is not a vector or scalar");
        };
    }
}
