package tally.promql.engine;

import tally.promql.ast.AggregateExpr;
import tally.promql.ast.AtModifier;
import tally.promql.ast.BinaryExpr;
import tally.promql.ast.Call;
import tally.promql.ast.Expr;
import tally.promql.ast.MatrixSelector;
import tally.promql.ast.ParenExpr;
import tally.promql.ast.StepInvariantExpr;
import tally.promql.ast.SubqueryExpr;
import tally.promql.ast.UnaryExpr;
import tally.promql.ast.VectorSelector;

/** The time range [mint, maxt] a query reads from storage: every selector's windows, offsets, @ and subqueries. */
final class TimeExtent {
    private TimeExtent() {}

    static long[] of(Expr e, long start, long end, long step, EngineOptions opts) {
        long[] acc = {Long.MAX_VALUE, Long.MIN_VALUE};
        walk(e, start, end, start, end, opts, acc);
        if (acc[0] > acc[1]) return new long[] {start, end}; // no selectors
        return acc;
    }

    private static long at(AtModifier at, long queryStart, long queryEnd) {
        return switch (at.kind()) {
            case START -> queryStart;
            case END -> queryEnd;
            case TIMESTAMP -> at.timestampMs();
        };
    }

    private static void walk(Expr e, long start, long end, long qs, long qe, EngineOptions opts, long[] acc) {
        if (e instanceof VectorSelector vs) {
            selector(vs, 0, start, end, qs, qe, opts.lookbackDeltaMs(), acc);
        } else if (e instanceof MatrixSelector ms) {
            selector(ms.selector(), ms.rangeMs(), start, end, qs, qe, 0, acc);
        } else if (e instanceof SubqueryExpr sq) {
            long s = start, en = end;
            if (sq.at() != null) {
                s = at(sq.at(), qs, qe);
                en = s;
            }
            walk(sq.expr(), s - sq.offsetMs() - sq.rangeMs(), en - sq.offsetMs(), qs, qe, opts, acc);
        } else if (e instanceof ParenExpr p) {
            walk(p.expr(), start, end, qs, qe, opts, acc);
        } else if (e instanceof UnaryExpr u) {
            walk(u.expr(), start, end, qs, qe, opts, acc);
        } else if (e instanceof StepInvariantExpr si) {
            walk(si.expr(), start, end, qs, qe, opts, acc);
        } else if (e instanceof BinaryExpr b) {
            walk(b.lhs(), start, end, qs, qe, opts, acc);
            walk(b.rhs(), start, end, qs, qe, opts, acc);
        } else if (e instanceof AggregateExpr a) {
            walk(a.expr(), start, end, qs, qe, opts, acc);
            if (a.param() != null) walk(a.param(), start, end, qs, qe, opts, acc);
        } else if (e instanceof Call c) {
            for (Expr a : c.args()) walk(a, start, end, qs, qe, opts, acc);
        }
    }

    private static void selector(VectorSelector vs, long range, long start, long end, long qs, long qe,
                                 long lookback, long[] acc) {
        long s = start, en = end;
        if (vs.at() != null) {
            s = at(vs.at(), qs, qe);
            en = s;
        }
        long mint = s - vs.offsetMs() - range - lookback + 1;
        long maxt = en - vs.offsetMs();
        acc[0] = Math.min(acc[0], mint);
        acc[1] = Math.max(acc[1], maxt);
    }
}
