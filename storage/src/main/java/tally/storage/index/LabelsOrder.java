package tally.storage.index;

import tally.model.Labels;

/**
 * {@link Labels#compareTo} and a label-set hash that are cheap on labels built from shared string instances
 * (one block's value table, or a {@link StringCanon}): equal instances are skipped without looking at their
 * characters, and the hash combines the strings' cached hash codes. Both stay correct for any labels.
 */
public final class LabelsOrder {
    private LabelsOrder() {}

    /** Same order as {@link Labels#compareTo}. */
    public static int compare(Labels a, Labels b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            String x = a.name(i), y = b.name(i);
            if (x != y) {
                int c = x.compareTo(y);
                if (c != 0) return c;
            }
            x = a.value(i);
            y = b.value(i);
            if (x != y) {
                int c = x.compareTo(y);
                if (c != 0) return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    /**
     * A hash of the label values from {@link String#hashCode} (cached per instance), for in-query tables only.
     * Names are left out: equal label sets have equal values, and the values alone tell series apart.
     */
    public static int hash(Labels l) {
        int h = 1;
        for (int i = 0, n = l.size(); i < n; i++) h = 31 * h + l.value(i).hashCode();
        return h ^ (h >>> 16);
    }
}
