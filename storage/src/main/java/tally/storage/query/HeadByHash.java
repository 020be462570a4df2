package tally.storage.query;

import java.util.List;
import tally.model.Labels;
import tally.storage.head.HeadSeries;
import tally.storage.index.LabelsOrder;
import tally.storage.store.StoredSeries;

/**
 * The head series of a selection found by labels, for joining them to the store's (many more) series without
 * sorting either side: open addressing over the labels hash in plain int arrays (no boxing, one or two cache lines
 * per probe), since every stored series of a 30-day selection asks once and almost all of them find nothing.
 */
final class HeadByHash {
    private final List<HeadSeries> live;
    private final int[] hashes;
    /** Index into live plus one; 0 marks an empty slot. */
    private final int[] slots;
    private final int mask;

    HeadByHash(List<HeadSeries> live) {
        this.live = live;
        int cap = Integer.highestOneBit(Math.max(4, live.size() * 2 - 1)) << 1;
        hashes = new int[cap];
        slots = new int[cap];
        mask = cap - 1;
        for (int i = 0; i < live.size(); i++) {
            int h = LabelsOrder.hash(live.get(i).labels());
            int at = h & mask;
            while (slots[at] != 0) at = (at + 1) & mask;
            hashes[at] = h;
            slots[at] = i + 1;
        }
    }

    /** The index in the live list of the series with the stored series' labels, or -1 (labels built only on a hash match). */
    int find(StoredSeries stored) {
        int h = stored.labelsHash();
        Labels labels = null;
        for (int at = h & mask; slots[at] != 0; at = (at + 1) & mask) {
            if (hashes[at] != h) continue;
            if (labels == null) labels = stored.labels();
            if (live.get(slots[at] - 1).labels().equals(labels)) return slots[at] - 1;
        }
        return -1;
    }
}
