package tally.storage.store;

import tally.model.Labels;
import tally.storage.index.LabelsOrder;

/**
 * Open-addressing table from labels to the series of one select (their numbers in a
 * {@link StoredSelection.Builder}), for joining a series' chunks from several blocks. Keyed by
 * {@link LabelsOrder#hash}, so a lookup costs the hash the index computed from its cached strings; labels are built
 * only to compare series of equal hash (a series in several blocks, or a rare collision).
 */
final class SeriesByLabels {
    /** Series number plus one; 0 marks an empty slot. */
    private int[] slots = new int[1024];
    private int[] hashes = new int[1024];
    private int size;

    /** The number of the series with the labels of series id of block b, or -1. */
    int get(StoredSelection.Builder found, ChunkStoreReader reader, int b, int id, int hash) {
        int mask = slots.length - 1;
        Labels l = null;
        for (int i = hash & mask; slots[i] != 0; i = (i + 1) & mask) {
            if (hashes[i] != hash) continue;
            if (l == null) l = reader.labelsOf(b, id);
            int s = slots[i] - 1;
            if (found.labels(s).equals(l)) return s;
        }
        return -1;
    }

    /** Adds series s, whose labels are not in the table yet. */
    void put(int s, int hash) {
        if (2 * (size + 1) > slots.length) grow();
        insert(s + 1, hash);
        size++;
    }

    private void insert(int slot, int hash) {
        int mask = slots.length - 1;
        int i = hash & mask;
        while (slots[i] != 0) i = (i + 1) & mask;
        slots[i] = slot;
        hashes[i] = hash;
    }

    private void grow() {
        int[] old = slots;
        int[] oldHashes = hashes;
        slots = new int[old.length * 2];
        hashes = new int[old.length * 2];
        for (int i = 0; i < old.length; i++) if (old[i] != 0) insert(old[i], oldHashes[i]);
    }
}
