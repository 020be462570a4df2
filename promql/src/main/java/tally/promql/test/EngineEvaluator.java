package tally.promql.test;

import java.util.ArrayList;
import java.util.List;
import tally.model.Queryable;
import tally.promql.ast.Expr;
import tally.promql.engine.Engine;
import tally.promql.engine.InstantVector;
import tally.promql.engine.QueryResult;
import tally.promql.engine.RangeMatrix;
import tally.promql.engine.Sample;
import tally.promql.engine.Scalar;
import tally.promql.engine.SeriesPoints;
import tally.promql.engine.StringValue;
import tally.promql.engine.Value;
import tally.promql.parser.ParseException;
import tally.promql.parser.PromQLParser;

/** Tally's parser and engine as the script runner sees them. */
public final class EngineEvaluator implements QueryEvaluator {
    private final Engine engine;

    public EngineEvaluator(Engine engine) {
        this.engine = engine;
    }

    /** Parse errors carry Prometheus's text without the position, as scripts compare it. */
    @Override
    public Expr parse(String query) {
        try {
            return PromQLParser.parseExpr(query);
        } catch (ParseException e) {
            throw new IllegalArgumentException(e.reason(), e);
        }
    }

    @Override
    public QueryOutcome instant(Queryable data, Expr expr, long timeMs) {
        return outcome(engine.instant(data, expr, timeMs));
    }

    @Override
    public QueryOutcome range(Queryable data, Expr expr, long startMs, long endMs, long stepMs) {
        return outcome(engine.range(data, expr, startMs, endMs, stepMs));
    }

    @Override
    public QueryOutcome instant(Queryable data, String query, Expr expr, long timeMs) {
        return outcome(engine.instant(data, expr, query, timeMs, null));
    }

    @Override
    public QueryOutcome range(Queryable data, String query, Expr expr, long startMs, long endMs, long stepMs) {
        return outcome(engine.range(data, expr, query, startMs, endMs, stepMs, null));
    }

    private static QueryOutcome outcome(QueryResult r) {
        return new QueryOutcome(convert(r.value()), r.warnings(), r.infos());
    }

    static ActualValue convert(Value v) {
        if (v instanceof Scalar s) return new ActualValue.Scalar(s.v());
        if (v instanceof StringValue s) return new ActualValue.Str(s.v());
        if (v instanceof InstantVector iv) {
            List<ActualValue.Sample> out = new ArrayList<>(iv.samples().size());
            for (Sample s : iv.samples()) out.add(new ActualValue.Sample(s.labels(), s.v()));
            return new ActualValue.Vector(out);
        }
        RangeMatrix m = (RangeMatrix) v;
        List<ActualValue.Points> out = new ArrayList<>(m.series().size());
        for (SeriesPoints p : m.series()) out.add(new ActualValue.Points(p.labels(), p.ts(), p.vs(), p.count()));
        return new ActualValue.Matrix(out);
    }
}
