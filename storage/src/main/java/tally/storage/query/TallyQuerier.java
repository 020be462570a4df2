package tally.storage.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tally.model.Matcher;
import tally.model.Querier;
import tally.model.SelectHints;
import tally.model.Series;
import tally.model.SeriesSet;
import tally.storage.head.Head;
import tally.storage.head.HeadSeries;
import tally.storage.index.LabelsOrder;
import tally.storage.store.ChunkStore;
import tally.storage.store.QuerySeriesBudget;
import tally.storage.store.StoreReader;
import tally.storage.store.StoredSeries;

/**
 * Reads the head and the store as one. Each select snapshots the head before opening a store
 * reader: a chunk the flusher moves in between is then seen at least once (twice is de-duplicated
 * by {@link SeriesIterator}), never zero times.
 */
public final class TallyQuerier implements Querier {
    private final Head head;
    private final ChunkStore store;
    private final long mint, maxt;
    private final List<StoreReader> readers = new ArrayList<>(1);
    /** This query's room in the store's query budget, shared by all of its selections. */
    private final QuerySeriesBudget.Reservation room;

    public TallyQuerier(Head head, ChunkStore store, long mint, long maxt) {
        this.head = head;
        this.store = store;
        this.mint = mint;
        this.maxt = maxt;
        this.room = store.queryBudget().reservation();
    }

    @Override
    public SeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers) {
        long lo = mint, hi = maxt;
        if (hints != null) {
            lo = Math.max(lo, hints.start());
            hi = Math.min(hi, hints.end());
        }
        if (lo > hi) return SeriesSet.EMPTY;
        List<HeadSeries> fromHead = head.select(matchers, lo, hi);
        List<StoredSeries> fromStore = reader(lo, hi).select(matchers, sorted);
        return sorted ? new ListSeriesSet(merge(fromStore, fromHead, lo, hi)) : new JoinedSeriesSet(fromStore, fromHead, lo, hi);
    }

    /**
     * Unsorted: store series in the store's order, then head series not in the store. Head series are few
     * (live ones), so they are looked up by a cheap labels hash instead of sorting the store's many series. Each
     * series is made when the caller takes it: a caller reading one at a time holds one, not the selection's
     * hundreds of thousands of objects (the store keeps its selection in flat arrays for the same reason).
     */
    private static final class JoinedSeriesSet implements SeriesSet {
        private final List<StoredSeries> stored;
        private final List<HeadSeries> live;
        private final long lo, hi;
        /** Per stored series, the index of its head part in live, or -1. */
        private final int[] headOf;
        private final boolean[] used;
        private int i = -1;
        private Series at;

        JoinedSeriesSet(List<StoredSeries> stored, List<HeadSeries> live, long lo, long hi) {
            this.stored = stored;
            this.live = live;
            this.lo = lo;
            this.hi = hi;
            used = new boolean[live.size()];
            if (live.isEmpty()) {
                headOf = null;
                return;
            }
            headOf = new int[stored.size()];
            HeadByHash byHash = new HeadByHash(live);
            for (int k = 0; k < stored.size(); k++) {
                int h = byHash.find(stored.get(k));
                headOf[k] = h;
                if (h >= 0) used[h] = true;
            }
        }

        @Override
        public boolean next() {
            at = null;
            while (++i < stored.size() + live.size()) {
                if (i < stored.size()) {
                    int h = headOf == null ? -1 : headOf[i];
                    at = new MergedSeries(null, stored.get(i), h >= 0 ? live.get(h) : null, lo, hi);
                    return true;
                }
                int h = i - stored.size();
                if (used[h]) continue;
                at = new MergedSeries(live.get(h).labels(), null, live.get(h), lo, hi);
                return true;
            }
            return false;
        }

        @Override
        public Series at() {
            return at;
        }
    }

    /** Both inputs are sorted by labels; equal labels become one series. */
    private static List<Series> merge(List<StoredSeries> stored, List<HeadSeries> live, long lo, long hi) {
        List<Series> out = new ArrayList<>(stored.size() + live.size());
        int i = 0, j = 0;
        while (i < stored.size() || j < live.size()) {
            int c;
            if (i == stored.size()) c = 1;
            else if (j == live.size()) c = -1;
            else c = LabelsOrder.compare(stored.get(i).labels(), live.get(j).labels());
            if (c < 0) {
                StoredSeries s = stored.get(i++);
                out.add(new MergedSeries(s.labels(), s, null, lo, hi));
            } else if (c > 0) {
                HeadSeries h = live.get(j++);
                out.add(new MergedSeries(h.labels(), null, h, lo, hi));
            } else {
                StoredSeries s = stored.get(i++);
                out.add(new MergedSeries(s.labels(), s, live.get(j++), lo, hi));
            }
        }
        return out;
    }

    @Override
    public List<String> labelNames(List<Matcher> matchers) {
        Set<String> names = new TreeSet<>(head.labelNames(matchers, mint, maxt));
        names.addAll(reader(mint, maxt).labelNames(matchers));
        return new ArrayList<>(names);
    }

    @Override
    public List<String> labelValues(String name, List<Matcher> matchers) {
        Set<String> values = new TreeSet<>(head.labelValues(name, matchers, mint, maxt));
        values.addAll(reader(mint, maxt).labelValues(name, matchers));
        return new ArrayList<>(values);
    }

    private StoreReader reader(long lo, long hi) {
        StoreReader r = store.reader(lo, hi, room);
        readers.add(r);
        return r;
    }

    @Override
    public void close() {
        for (StoreReader r : readers) r.close();
        readers.clear();
    }

    private static final class ListSeriesSet implements SeriesSet {
        private final List<Series> list;
        private int i = -1;

        ListSeriesSet(List<Series> list) {
            this.list = list;
        }

        /** Lets go of the series just consumed: a caller reading one series at a time then holds one, not all. */
        @Override
        public boolean next() {
            if (i >= 0 && i < list.size()) list.set(i, null);
            return ++i < list.size();
        }

        @Override
        public Series at() {
            return list.get(i);
        }
    }
}
