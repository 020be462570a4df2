package tally.storage.store;

import tally.model.Labels;
import tally.storage.index.LabelsOrder;

/**
 * Open-addressing table from labels to the series of one select, for joining a series' chunks from several
 * blocks. Keyed by {@link LabelsOrder#hash}, so a lookup costs a few cached String hashes and (with canonical
 * strings) an identity comparison, not a character-by-character hash of every label.
 */
final class SeriesByLabels {
    private MergedSeries[] slots = new MergedSeries[1024];
    private int[] hashes = new int[1024];
    private int size;

    MergedSeries get(Labels l, int hash) {
        int mask = slots.length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            MergedSeries s = slots[i];
            if (s == null) return null;
            if (hashes[i] == hash && s.labels().equals(l)) return s;
        }
    }

    /** Adds a series whose labels are not in the table yet. */
    void put(MergedSeries s, int hash) {
        if (2 * (size + 1) > slots.length) grow();
        insert(s, hash);
        size++;
    }

    private void insert(MergedSeries s, int hash) {
        int mask = slots.length - 1;
        int i = hash & mask;
        while (slots[i] != null) i = (i + 1) & mask;
        slots[i] = s;
        hashes[i] = hash;
    }

    private void grow() {
        MergedSeries[] old = slots;
        int[] oldHashes = hashes;
        slots = new MergedSeries[old.length * 2];
        hashes = new int[old.length * 2];
        for (int i = 0; i < old.length; i++) if (old[i] != null) insert(old[i], oldHashes[i]);
    }
}
