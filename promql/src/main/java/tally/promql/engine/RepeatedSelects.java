package tally.promql.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tally.model.Matcher;
import tally.model.Querier;
import tally.model.SelectHints;
import tally.model.Series;
import tally.model.SeriesSet;
import tally.promql.ast.Expr;
import tally.promql.ast.VectorSelector;

/**
 * Reads storage once for selectors written more than once in a query ({@code max_over_time(x[30d]) -
 * min_over_time(x[30d])}): the series of a select whose matchers repeat are kept for the query and handed
 * to the next identical select (same matchers, time range and order). Only repeated matcher sets are kept,
 * so other selections stay garbage as soon as they are consumed.
 */
final class RepeatedSelects {
    private final Set<List<Matcher>> repeated;
    private final Map<Key, List<Series>> kept = new HashMap<>();

    private record Key(List<Matcher> matchers, long start, long end, boolean sorted) {}

    RepeatedSelects(Expr root) {
        Map<List<Matcher>, Integer> counts = new HashMap<>();
        for (Expr e : root == null ? List.<Expr>of() : root.descendants()) {
            if (e instanceof VectorSelector vs) counts.merge(vs.matchers(), 1, Integer::sum);
        }
        Set<List<Matcher>> r = new HashSet<>();
        for (Map.Entry<List<Matcher>, Integer> e : counts.entrySet()) if (e.getValue() > 1) r.add(e.getKey());
        repeated = r;
    }

    SeriesSet select(Querier q, boolean sorted, SelectHints hints, List<Matcher> matchers) {
        if (!repeated.contains(matchers)) return q.select(sorted, hints, matchers);
        // the storage's answer depends on the matchers and the time range only; the function hint does not change it
        Key key = new Key(matchers, hints.start(), hints.end(), sorted);
        List<Series> series = kept.get(key);
        if (series == null) {
            series = new ArrayList<>();
            SeriesSet set = q.select(sorted, hints, matchers);
            while (set.next()) series.add(set.at());
            kept.put(key, series);
        }
        return new ListSet(series);
    }

    private static final class ListSet implements SeriesSet {
        private final List<Series> list;
        private int i = -1;

        ListSet(List<Series> list) {
            this.list = list;
        }

        @Override public boolean next() { return ++i < list.size(); }

        @Override public Series at() { return list.get(i); }
    }
}
