package tally.promql.engine;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import tally.model.Labels;
import tally.promql.ast.AggregateExpr;

/**
 * Numbers the groups of an aggregation's input series in first-seen order. For {@code by (...)} the lookup key is
 * just the grouping labels' values (hashed from the strings' cached hash codes), so only a new group builds its
 * output labels; {@code without} keys on the full group labels.
 */
final class GroupIds {
    private final AggregateExpr a;
    /** The inputs' metric name is to be ignored (a function dropping it runs between the labels seen here and the aggregation). */
    private final boolean ignoreName;
    private final List<Labels> groupLabels;
    private final HashMap<Labels, Integer> byLabels;
    private final HashMap<ValuesKey, Integer> byValues;
    private final String[] names;
    private final ValuesKey probe;

    /** Appends each new group's output labels to groupLabels. */
    GroupIds(AggregateExpr a, boolean ignoreName, List<Labels> groupLabels) {
        this.a = a;
        this.ignoreName = ignoreName;
        this.groupLabels = groupLabels;
        if (a.without() || a.grouping().isEmpty()) {
            byLabels = new HashMap<>();
            byValues = null;
            names = null;
            probe = null;
        } else {
            byLabels = null;
            byValues = new HashMap<>();
            names = a.grouping().toArray(new String[0]);
            probe = new ValuesKey(new String[names.length]);
        }
    }

    /** Fills group[i] for every input and appends each new group's output labels to groupLabels. */
    static int[] assign(List<StepSeries> in, AggregateExpr a, List<Labels> groupLabels) {
        GroupIds ids = new GroupIds(a, false, groupLabels);
        int[] group = new int[in.size()];
        for (int i = 0; i < in.size(); i++) group[i] = ids.of(in.get(i).labels);
        return group;
    }

    /** The group of a series with these labels (numbered from 0 in first-seen order). */
    int of(Labels l) {
        if (byLabels != null) {
            Labels g = Aggregations.groupLabels(l, a); // without drops the name anyway
            Integer id = byLabels.get(g);
            if (id == null) {
                id = groupLabels.size();
                byLabels.put(g, id);
                groupLabels.add(g);
            }
            return id;
        }
        for (int j = 0; j < names.length; j++) {
            probe.values[j] = ignoreName && names[j].equals(Labels.METRIC_NAME) ? null : l.get(names[j]);
        }
        probe.rehash();
        Integer id = byValues.get(probe);
        if (id == null) {
            id = groupLabels.size();
            byValues.put(new ValuesKey(probe.values.clone()), id);
            groupLabels.add(Aggregations.groupLabels(ignoreName ? l.withoutMetricName() : l, a));
        }
        return id;
    }

    /** The values (null when absent) of the grouping labels, in grouping order. */
    private static final class ValuesKey {
        final String[] values;
        int hash;

        ValuesKey(String[] values) {
            this.values = values;
            rehash();
        }

        void rehash() {
            hash = Arrays.hashCode(values);
        }

        @Override
        public int hashCode() { return hash; }

        @Override
        public boolean equals(Object o) {
            return o instanceof ValuesKey k && k.hash == hash && Arrays.equals(k.values, values);
        }
    }
}
