package tally.promql.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tally.model.Labels;

/** Combines series that ended up with the same labels (after dropping the name or relabelling). */
final class SeriesMerger {
    static final String SAME_LABELSET = "vector cannot contain metrics with the same labelset";

    private SeriesMerger() {}

    /**
     * Merges series with equal labels when their points never share a timestamp, else fails like Prometheus
     * ("vector cannot contain metrics with the same labelset"). Keeps first-seen order.
     */
    static List<StepSeries> mergeSameLabels(List<StepSeries> in) {
        if (in.size() <= 1) return in;
        Map<Labels, List<StepSeries>> byLabels = new LinkedHashMap<>(in.size() * 2);
        boolean dup = false;
        for (StepSeries s : in) {
            List<StepSeries> l = byLabels.computeIfAbsent(s.labels, k -> new ArrayList<>(1));
            l.add(s);
            if (l.size() > 1) dup = true;
        }
        if (!dup) return in;
        List<StepSeries> out = new ArrayList<>(byLabels.size());
        for (List<StepSeries> group : byLabels.values()) {
            out.add(group.size() == 1 ? group.get(0) : mergeGroup(group));
        }
        return out;
    }

    private static StepSeries mergeGroup(List<StepSeries> group) {
        int total = 0;
        for (StepSeries s : group) total += s.n;
        long[] ts = new long[total];
        double[] vs = new double[total];
        int k = 0;
        for (int g = 0; g < group.size(); g++) {
            StepSeries s = group.get(g);
            System.arraycopy(s.ts, 0, ts, k, s.n);
            System.arraycopy(s.vs, 0, vs, k, s.n);
            k += s.n;
        }
        Integer[] order = new Integer[total];
        for (int i = 0; i < total; i++) order[i] = i;
        java.util.Arrays.sort(order, Comparator.comparingLong(i -> ts[i]));
        StepSeries merged = new StepSeries(group.get(0).labels, total);
        for (int i = 0; i < total; i++) {
            long t = ts[order[i]];
            if (merged.n > 0 && merged.lastT() == t) throw PromQLException.execution(SAME_LABELSET);
            merged.add(t, vs[order[i]]);
        }
        return merged;
    }

    /** Fails when two series share labels at all (what Prometheus checks for range-function output). */
    static void checkUniqueLabels(List<StepSeries> in) {
        if (in.size() <= 1) return;
        java.util.HashSet<Labels> seen = new java.util.HashSet<>(in.size() * 2);
        for (StepSeries s : in) {
            if (!seen.add(s.labels)) throw PromQLException.execution(SAME_LABELSET);
        }
    }
}
