package tally.promql.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tally.model.AppendException;
import tally.model.Appender;
import tally.model.Labels;
import tally.model.Matcher;
import tally.model.MetricMetadata;
import tally.model.Querier;
import tally.model.SampleIterator;
import tally.model.SelectHints;
import tally.model.Series;
import tally.model.SeriesSet;
import tally.model.Storage;

/** A minimal in-memory {@link Storage} for testing the runner before the real storage exists. */
class MemStorage implements Storage {
    final Map<Labels, TreeMap<Long, Double>> data = new TreeMap<>();
    boolean closed;
    int commits;

    @Override
    public Appender appender() {
        List<Object[]> batch = new ArrayList<>();
        return new Appender() {
            @Override
            public long append(long ref, Labels labels, long t, double v) {
                TreeMap<Long, Double> s = data.get(labels);
                if (s != null && !s.isEmpty() && s.lastKey() >= t) {
                    throw new AppendException(AppendException.Reason.OUT_OF_ORDER, "t=" + t);
                }
                batch.add(new Object[] {labels, t, v});
                return 1;
            }

            @Override
            public void commit() {
                for (Object[] b : batch) data.computeIfAbsent((Labels) b[0], k -> new TreeMap<>()).put((Long) b[1], (Double) b[2]);
                batch.clear();
                commits++;
            }

            @Override
            public void rollback() { batch.clear(); }
        };
    }

    @Override
    public Querier querier(long mint, long maxt) {
        return new Querier() {
            @Override
            public SeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers) {
                List<Series> out = new ArrayList<>();
                for (Map.Entry<Labels, TreeMap<Long, Double>> e : data.entrySet()) {
                    if (!matchers.stream().allMatch(m -> m.matches(e.getKey()))) continue;
                    List<Map.Entry<Long, Double>> pts = new ArrayList<>(e.getValue().subMap(mint, true, maxt, true).entrySet());
                    if (pts.isEmpty()) continue;
                    Labels l = e.getKey();
                    out.add(new Series() {
                        @Override public Labels labels() { return l; }
                        @Override public SampleIterator iterator(SampleIterator reuse) { return new ListIterator(pts); }
                    });
                }
                return new SeriesSet() {
                    int i = -1;
                    @Override public boolean next() { return ++i < out.size(); }
                    @Override public Series at() { return out.get(i); }
                };
            }

            @Override public List<String> labelNames(List<Matcher> matchers) { return List.of(); }
            @Override public List<String> labelValues(String name, List<Matcher> matchers) { return List.of(); }
            @Override public void close() {}
        };
    }

    private static final class ListIterator implements SampleIterator {
        private final List<Map.Entry<Long, Double>> pts;
        private int i = -1;

        ListIterator(List<Map.Entry<Long, Double>> pts) { this.pts = pts; }

        @Override public boolean next() { return ++i < pts.size(); }

        @Override
        public boolean seek(long t) {
            if (i < 0) i = 0;
            while (i < pts.size() && pts.get(i).getKey() < t) i++;
            return i < pts.size();
        }

        @Override public long atT() { return pts.get(i).getKey(); }
        @Override public double atV() { return pts.get(i).getValue(); }
    }

    @Override public void putMetadata(String metric, MetricMetadata metadata) {}
    @Override public Map<String, List<MetricMetadata>> metadata() { return Map.of(); }
    @Override public void close() { closed = true; }
}
