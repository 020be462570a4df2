package tally.promql.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tally.promql.ast.Call;
import tally.promql.ast.Expr;
import tally.promql.ast.MatrixSelector;
import tally.promql.ast.VectorSelector;

/**
 * Evaluates a range function call written more than once in a query once per evaluation range: the dashboards'
 * exact totals, {@code (last_over_time(x[R]) - last_over_time(x[7d] offset R)) or last_over_time(x[R])}, would
 * otherwise compute {@code last_over_time(x[R])} over every series twice. ({@link RepeatedSelects} already reads
 * storage once; this saves the function's pass over the samples too.)
 *
 * <p>Consumers change their input series in place, so the kept result is a copy and every use gets its own copy
 * (the last use of an evaluation range takes the kept one).
 * A result is kept only when its evaluation added no warning or info: those name the call's position, which differs
 * between the copies, so such calls are evaluated at each place as before. The key holds the evaluation range
 * (subqueries evaluate the same text at other steps) and which selectors below may return series unsorted.
 */
final class RepeatedCalls {
    /** Text of each repeated call, and how often it is written. */
    private final Map<String, Integer> repeated;
    private final Map<String, Kept> kept = new HashMap<>();

    /** A result kept for the uses still to come (the last use takes it, the others a copy). */
    private static final class Kept {
        final List<StepSeries> series;
        int usesLeft;

        Kept(List<StepSeries> series, int usesLeft) {
            this.series = series;
            this.usesLeft = usesLeft;
        }
    }

    RepeatedCalls(Expr root) {
        Map<String, Integer> counts = new HashMap<>();
        for (Expr e : root == null ? List.<Expr>of() : root.descendants()) {
            if (e instanceof Call c && overMatrix(c)) counts.merge(c.toString(), 1, Integer::sum);
        }
        Map<String, Integer> r = new HashMap<>();
        for (Map.Entry<String, Integer> e : counts.entrySet()) if (e.getValue() > 1) r.put(e.getKey(), e.getValue());
        repeated = r;
    }

    private static boolean overMatrix(Call c) {
        for (Expr a : c.args()) if (Calls.unwrap(a) instanceof MatrixSelector) return true;
        return false;
    }

    /** Whether the call is written more than once in the query (its result is kept and shared). */
    boolean isRepeated(Call c) {
        return !repeated.isEmpty() && repeated.containsKey(c.toString());
    }

    /** The call's value, computed here or copied from the same call evaluated before over the same steps. */
    Object eval(Evaluator ev, Call c) {
        if (repeated.isEmpty()) return Calls.eval(ev, c);
        String text = c.toString();
        Integer uses = repeated.get(text);
        if (uses == null) return Calls.eval(ev, c);
        StringBuilder key = new StringBuilder(text).append('|').append(ev.start).append('|').append(ev.end)
                .append('|').append(ev.interval).append('|');
        for (Expr e : c.descendants()) if (e instanceof VectorSelector vs) key.append(ev.ctx.isOrderFree(vs) ? 'u' : 's');
        String k = key.toString();
        Kept hit = kept.get(k);
        if (hit != null) {
            // each use of the text evaluates it once per evaluation range: the last one needs no copy
            if (--hit.usesLeft > 0) return copy(hit.series);
            kept.remove(k);
            return hit.series;
        }
        int notes = ev.ctx.annotationCount();
        Object r = Calls.eval(ev, c);
        if (r instanceof List<?> l && ev.ctx.annotationCount() == notes) {
            @SuppressWarnings("unchecked")
            List<StepSeries> series = (List<StepSeries>) l;
            kept.put(k, new Kept(copy(series), uses - 1));
        }
        return r;
    }

    private static List<StepSeries> copy(List<StepSeries> in) {
        List<StepSeries> out = new ArrayList<>(in.size());
        for (StepSeries s : in) out.add(StepSeries.copyOf(s.labels, s.ts, s.vs, s.n));
        return out;
    }
}
