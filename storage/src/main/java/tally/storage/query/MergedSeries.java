package tally.storage.query;

import tally.model.Labels;
import tally.model.SampleIterator;
import tally.model.Series;
import tally.storage.head.HeadSeries;
import tally.storage.store.StoredSeries;

/** One series as a query sees it: its persisted part and its head part (either may be null). */
final class MergedSeries implements Series {
    /** Null: the stored part's, built when first asked for (a caller consumes a series once, then lets go of it). */
    private Labels labels;
    private final StoredSeries stored;
    private final HeadSeries head;
    private final long mint, maxt;

    MergedSeries(Labels labels, StoredSeries stored, HeadSeries head, long mint, long maxt) {
        this.labels = labels;
        this.stored = stored;
        this.head = head;
        this.mint = mint;
        this.maxt = maxt;
    }

    @Override
    public Labels labels() {
        Labels l = labels;
        if (l == null) l = labels = stored.labels();
        return l;
    }

    @Override
    public SampleIterator iterator(SampleIterator reuse) {
        SeriesIterator it = reuse instanceof SeriesIterator s ? s : new SeriesIterator();
        return it.reset(stored, head, mint, maxt);
    }
}
