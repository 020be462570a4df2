package tally.promql.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import tally.model.Labels;
import tally.model.Matcher;
import tally.model.Querier;
import tally.model.Queryable;
import tally.model.SampleIterator;
import tally.model.SelectHints;
import tally.model.Series;
import tally.model.SeriesSet;

/**
 * Test-only in-memory storage implementing the model interfaces faithfully: series sorted by labels, samples
 * limited to the querier's [mint, maxt] (and the select hints' range), iterators honouring seek. Replaced by the
 * real storage in later tests; kept tiny and obviously correct.
 */
public final class MemoryQueryable implements Queryable {
    private final Map<Labels, long[]> times = new TreeMap<>();
    private final Map<Labels, double[]> values = new TreeMap<>();
    private final Map<Labels, Integer> counts = new TreeMap<>();
    /** Number of select calls made, for tests that check storage is read once per selector. */
    public int selects;
    /** The {@code sorted} argument of every select call, in order. */
    public final List<Boolean> sortedAsked = new ArrayList<>();
    /** Answers unsorted selects in reverse label order, as a storage free to skip the sort may. */
    public boolean reverseWhenUnsorted;

    /** Appends one sample; timestamps per series must increase. */
    public MemoryQueryable add(Labels labels, long t, double v) {
        long[] ts = times.computeIfAbsent(labels, k -> new long[4]);
        double[] vs = values.computeIfAbsent(labels, k -> new double[4]);
        int n = counts.getOrDefault(labels, 0);
        if (n > 0 && ts[n - 1] >= t) throw new IllegalArgumentException("out of order sample for " + labels);
        if (n == ts.length) {
            ts = Arrays.copyOf(ts, n * 2);
            vs = Arrays.copyOf(vs, n * 2);
            times.put(labels, ts);
            values.put(labels, vs);
        }
        ts[n] = t;
        vs[n] = v;
        counts.put(labels, n + 1);
        return this;
    }

    /** Adds samples at start, start+interval, ... (NaN-free convenience for tests). */
    public MemoryQueryable series(Labels labels, long start, long interval, double... vs) {
        for (int i = 0; i < vs.length; i++) add(labels, start + i * interval, vs[i]);
        return this;
    }

    @Override
    public Querier querier(long mint, long maxt) {
        return new Querier() {
            @Override
            public SeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers) {
                selects++;
                sortedAsked.add(sorted);
                long lo = mint, hi = maxt;
                if (hints != null) {
                    lo = Math.max(lo, hints.start());
                    hi = Math.min(hi, hints.end());
                }
                List<Series> out = new ArrayList<>();
                for (Labels l : times.keySet()) {
                    boolean all = true;
                    for (Matcher m : matchers) all &= m.matches(l);
                    if (!all) continue;
                    long[] ts = times.get(l);
                    double[] vs = values.get(l);
                    int n = counts.get(l);
                    int from = lowerBound(ts, n, lo);
                    int to = lowerBound(ts, n, hi + 1);
                    if (from < to) out.add(new MemSeries(l, ts, vs, from, to));
                }
                if (!sorted && reverseWhenUnsorted) java.util.Collections.reverse(out);
                return new ListSeriesSet(out);
            }

            @Override
            public List<String> labelNames(List<Matcher> matchers) {
                TreeSet<String> names = new TreeSet<>();
                for (Labels l : times.keySet()) for (int i = 0; i < l.size(); i++) names.add(l.name(i));
                return new ArrayList<>(names);
            }

            @Override
            public List<String> labelValues(String name, List<Matcher> matchers) {
                TreeSet<String> vals = new TreeSet<>();
                for (Labels l : times.keySet()) if (l.get(name) != null) vals.add(l.get(name));
                return new ArrayList<>(vals);
            }

            @Override
            public void close() {}
        };
    }

    private static int lowerBound(long[] ts, int n, long t) {
        int lo = 0, hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ts[mid] < t) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private record MemSeries(Labels labels, long[] ts, double[] vs, int from, int to) implements Series {
        @Override
        public SampleIterator iterator(SampleIterator reuse) {
            return new MemIterator(ts, vs, from, to);
        }
    }

    private static final class MemIterator implements SampleIterator {
        private final long[] ts;
        private final double[] vs;
        private final int from;
        private final int to;
        private int pos;

        MemIterator(long[] ts, double[] vs, int from, int to) {
            this.ts = ts;
            this.vs = vs;
            this.from = from;
            this.to = to;
            this.pos = from - 1; // before the first sample
        }

        @Override public boolean next() {
            if (pos >= to) return false;
            pos++;
            return pos < to;
        }

        @Override public boolean seek(long t) {
            if (pos < from) pos = from;
            while (pos < to && ts[pos] < t) pos++;
            return pos < to;
        }

        @Override public long atT() { return ts[pos]; }

        @Override public double atV() { return vs[pos]; }
    }

    private static final class ListSeriesSet implements SeriesSet {
        private final List<Series> list;
        private int i = -1;

        ListSeriesSet(List<Series> list) { this.list = list; }

        @Override public boolean next() { return ++i < list.size(); }

        @Override public Series at() { return list.get(i); }
    }
}
