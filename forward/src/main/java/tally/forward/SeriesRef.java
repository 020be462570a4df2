package tally.forward;

import tally.model.Labels;

/**
 * A series as a target receives it: its labels after external labels and write relabeling, and a hash that picks
 * its shard (so its samples stay in order). {@link #DROPPED} marks series the relabeling dropped.
 */
final class SeriesRef {
    static final SeriesRef DROPPED = new SeriesRef(-1, null);

    /** The WAL's id: the wire encoders group samples by it. */
    final long id;
    final Labels labels;
    final int hash;

    SeriesRef(long id, Labels labels) {
        this.id = id;
        this.labels = labels;
        this.hash = labels == null ? 0 : (int) (labels.hash64() ^ (labels.hash64() >>> 32)) & Integer.MAX_VALUE;
    }
}
