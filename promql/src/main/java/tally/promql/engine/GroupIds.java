package tally.promql.engine;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import tally.model.Labels;
import tally.promql.ast.AggregateExpr;

/**
 * Assigns each input series of an aggregation its group, numbering groups in first-seen order. For
 * {@code by (...)} the lookup key is just the grouping labels' values (hashed from the strings' cached hash
 * codes), so only a new group builds its output labels; {@code without} keys on the full group labels.
 */
final class GroupIds {
    private GroupIds() {}

    /** Fills group[i] for every input and appends each new group's output labels to groupLabels. */
    static int[] assign(List<StepSeries> in, AggregateExpr a, List<Labels> groupLabels) {
        int[] group = new int[in.size()];
        if (a.without() || a.grouping().isEmpty()) {
            HashMap<Labels, Integer> ids = new HashMap<>();
            for (int i = 0; i < in.size(); i++) {
                Labels g = Aggregations.groupLabels(in.get(i).labels, a);
                Integer id = ids.get(g);
                if (id == null) {
                    id = groupLabels.size();
                    ids.put(g, id);
                    groupLabels.add(g);
                }
                group[i] = id;
            }
            return group;
        }
        String[] names = a.grouping().toArray(new String[0]);
        HashMap<ValuesKey, Integer> ids = new HashMap<>();
        ValuesKey probe = new ValuesKey(new String[names.length]);
        for (int i = 0; i < in.size(); i++) {
            Labels l = in.get(i).labels;
            for (int j = 0; j < names.length; j++) probe.values[j] = l.get(names[j]);
            probe.rehash();
            Integer id = ids.get(probe);
            if (id == null) {
                id = groupLabels.size();
                ids.put(new ValuesKey(probe.values.clone()), id);
                groupLabels.add(Aggregations.groupLabels(l, a));
            }
            group[i] = id;
        }
        return group;
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
