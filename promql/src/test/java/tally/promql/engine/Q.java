package tally.promql.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tally.model.Labels;
import tally.model.MatchType;
import tally.model.Matcher;
import tally.promql.ast.AggregateExpr;
import tally.promql.ast.AggregateOp;
import tally.promql.ast.AtModifier;
import tally.promql.ast.BinaryExpr;
import tally.promql.ast.BinaryOp;
import tally.promql.ast.Call;
import tally.promql.ast.Durations;
import tally.promql.ast.Expr;
import tally.promql.ast.FunctionSignature;
import tally.promql.ast.Functions;
import tally.promql.ast.MatrixSelector;
import tally.promql.ast.NumberLiteral;
import tally.promql.ast.PositionRange;
import tally.promql.ast.StringLiteral;
import tally.promql.ast.SubqueryExpr;
import tally.promql.ast.UnaryExpr;
import tally.promql.ast.VectorMatching;
import tally.promql.ast.VectorSelector;

/** Test helpers that build syntax trees by hand (until the parser is available) and labels concisely. */
final class Q {
    private static final PositionRange P = PositionRange.NONE;

    private Q() {}

    static Labels l(String... kv) { return Labels.of(kv); }

    /** {@code name{k="v",...}}; a value starting with "~" is a regex matcher, "!" a not-equal one. */
    static VectorSelector sel(String name, String... kv) {
        List<Matcher> ms = new ArrayList<>();
        if (name != null) ms.add(Matcher.metricName(name));
        for (int i = 0; i < kv.length; i += 2) {
            String v = kv[i + 1];
            if (v.startsWith("~")) ms.add(Matcher.of(MatchType.REGEX, kv[i], v.substring(1)));
            else if (v.startsWith("!")) ms.add(Matcher.of(MatchType.NOT_EQUAL, kv[i], v.substring(1)));
            else ms.add(Matcher.equal(kv[i], v));
        }
        return new VectorSelector(name, ms, 0, null, P);
    }

    static VectorSelector offset(VectorSelector vs, String d) {
        long ms = d.startsWith("-") ? -Durations.parseMillis(d.substring(1)) : Durations.parseMillis(d);
        return new VectorSelector(vs.name(), vs.matchers(), ms, vs.at(), P);
    }

    static VectorSelector at(VectorSelector vs, AtModifier at) {
        return new VectorSelector(vs.name(), vs.matchers(), vs.offsetMs(), at, P);
    }

    static MatrixSelector matrix(VectorSelector vs, String d) { return new MatrixSelector(vs, Durations.parseMillis(d), P); }

    static SubqueryExpr subquery(Expr e, String range, String step) {
        return new SubqueryExpr(e, Durations.parseMillis(range), step == null ? 0 : Durations.parseMillis(step), 0, null, P);
    }

    static NumberLiteral num(double v) { return new NumberLiteral(v, P); }

    static StringLiteral str(String s) { return new StringLiteral(s, P); }

    static Call call(String fn, Expr... args) {
        FunctionSignature sig = Functions.lookup(fn);
        if (sig == null) throw new IllegalArgumentException("no function " + fn);
        return new Call(sig, Arrays.asList(args), P);
    }

    static AggregateExpr agg(AggregateOp op, Expr e, String... by) {
        return new AggregateExpr(op, e, null, Arrays.asList(by), false, P);
    }

    static AggregateExpr aggWithout(AggregateOp op, Expr e, String... without) {
        return new AggregateExpr(op, e, null, Arrays.asList(without), true, P);
    }

    static AggregateExpr aggParam(AggregateOp op, Expr param, Expr e, String... by) {
        return new AggregateExpr(op, e, param, Arrays.asList(by), false, P);
    }

    static BinaryExpr bin(BinaryOp op, Expr l, Expr r) {
        VectorMatching m = l.type() == tally.promql.ast.ValueType.VECTOR && r.type() == tally.promql.ast.ValueType.VECTOR
                ? VectorMatching.defaults(op) : null;
        return new BinaryExpr(op, l, r, m, false, P);
    }

    static BinaryExpr binBool(BinaryOp op, Expr l, Expr r) {
        BinaryExpr b = bin(op, l, r);
        return new BinaryExpr(op, l, r, b.matching(), true, P);
    }

    static BinaryExpr binMatch(BinaryOp op, Expr l, Expr r, VectorMatching m) {
        return new BinaryExpr(op, l, r, m, false, P);
    }

    static VectorMatching on(String... labels) {
        return new VectorMatching(VectorMatching.Cardinality.ONE_TO_ONE, Arrays.asList(labels), true, List.of());
    }

    static VectorMatching ignoring(String... labels) {
        return new VectorMatching(VectorMatching.Cardinality.ONE_TO_ONE, Arrays.asList(labels), false, List.of());
    }

    static VectorMatching groupLeft(VectorMatching base, String... include) {
        return new VectorMatching(VectorMatching.Cardinality.MANY_TO_ONE, base.matchingLabels(), base.on(), Arrays.asList(include));
    }

    static VectorMatching groupRight(VectorMatching base, String... include) {
        return new VectorMatching(VectorMatching.Cardinality.ONE_TO_MANY, base.matchingLabels(), base.on(), Arrays.asList(include));
    }

    static UnaryExpr neg(Expr e) { return new UnaryExpr(true, e, P); }

    static long m(long minutes) { return minutes * 60_000L; }

    static long s(long seconds) { return seconds * 1000L; }
}
