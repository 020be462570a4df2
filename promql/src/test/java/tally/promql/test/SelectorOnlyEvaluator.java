package tally.promql.test;

import java.util.ArrayList;
import java.util.List;
import tally.model.Matcher;
import tally.model.Querier;
import tally.model.Queryable;
import tally.model.SampleIterator;
import tally.model.SeriesSet;
import tally.model.StaleNaN;
import tally.promql.ast.Expr;
import tally.promql.ast.NumberLiteral;
import tally.promql.ast.PositionRange;
import tally.promql.ast.StringLiteral;
import tally.promql.ast.VectorSelector;

/**
 * A stand-in PromQL implementation for runner tests: numbers, strings and plain metric names
 * (instant selection with a left-open 5m lookback and staleness), nothing else.
 */
final class SelectorOnlyEvaluator implements QueryEvaluator {
    static final long LOOKBACK = 300_000;
    final List<String> warnings = new ArrayList<>();

    @Override
    public Expr parse(String q) {
        String s = q.strip();
        if (s.startsWith("experimental_fn(")) throw new IllegalArgumentException("function \"experimental_fn\" is not supported");
        if (s.startsWith("\"")) return new StringLiteral(s.substring(1, s.length() - 1), PositionRange.NONE);
        if (s.matches("[0-9.]+")) return new NumberLiteral(Double.parseDouble(s), PositionRange.NONE);
        if (s.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            return new VectorSelector(s, List.of(Matcher.metricName(s)), 0, null, PositionRange.NONE);
        }
        throw new IllegalArgumentException("1:1: parse error: unsupported in this test: " + q);
    }

    @Override
    public QueryOutcome instant(Queryable data, Expr expr, long t) {
        if (expr instanceof NumberLiteral n) return outcome(new ActualValue.Scalar(n.value()));
        if (expr instanceof StringLiteral s) return outcome(new ActualValue.Str(s.value()));
        VectorSelector vs = (VectorSelector) expr;
        long at = vs.at() == null ? t : vs.at().timestampMs();
        List<ActualValue.Sample> out = new ArrayList<>();
        try (Querier q = data.querier(at - LOOKBACK + 1, at)) {
            SeriesSet set = q.select(true, null, vs.matchers());
            while (set.next()) {
                SampleIterator it = set.at().iterator(null);
                double v = Double.NaN;
                boolean found = false;
                while (it.next()) {
                    v = it.atV();
                    found = true;
                }
                if (found && !StaleNaN.is(v)) out.add(new ActualValue.Sample(set.at().labels(), v));
            }
        }
        return outcome(new ActualValue.Vector(out));
    }

    @Override
    public QueryOutcome range(Queryable data, Expr expr, long start, long end, long step) {
        java.util.Map<tally.model.Labels, List<double[]>> points = new java.util.TreeMap<>();
        for (long t = start; t <= end; t += step) {
            ActualValue v = instant(data, expr, t).value();
            if (v instanceof ActualValue.Scalar s) {
                points.computeIfAbsent(tally.model.Labels.EMPTY, k -> new ArrayList<>()).add(new double[] {t, s.v()});
            } else {
                for (ActualValue.Sample s : ((ActualValue.Vector) v).samples()) {
                    points.computeIfAbsent(s.labels(), k -> new ArrayList<>()).add(new double[] {t, s.v()});
                }
            }
        }
        List<ActualValue.Points> series = new ArrayList<>();
        points.forEach((l, p) -> {
            long[] t = new long[p.size()];
            double[] v = new double[p.size()];
            for (int i = 0; i < p.size(); i++) {
                t[i] = (long) p.get(i)[0];
                v[i] = p.get(i)[1];
            }
            series.add(new ActualValue.Points(l, t, v, p.size()));
        });
        return outcome(new ActualValue.Matrix(series));
    }

    private QueryOutcome outcome(ActualValue v) {
        return new QueryOutcome(v, warnings, List.of());
    }
}
