package tally.promql.engine;

import tally.model.Labels;

/**
 * Labels as a hash-map key hashed from the strings' cached hash codes: label sets built in a query are
 * usually new objects whose own hash would walk every character once more, while their strings are shared
 * with storage and already know their hashes.
 */
final class LabelsKey {
    final Labels labels;
    private final int hash;

    LabelsKey(Labels labels) {
        this.labels = labels;
        int h = 1;
        for (int i = 0, n = labels.size(); i < n; i++) {
            h = 31 * h + labels.name(i).hashCode();
            h = 31 * h + labels.value(i).hashCode();
        }
        this.hash = h;
    }

    @Override
    public int hashCode() { return hash; }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelsKey k && k.hash == hash && k.labels.equals(labels);
    }
}
