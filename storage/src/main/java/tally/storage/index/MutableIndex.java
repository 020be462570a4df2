package tally.storage.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import tally.model.Labels;

/**
 * In-memory index of the block being written. Looking up an existing series is lock-free;
 * creating one takes the write lock; queries take the read lock briefly per call.
 * Local ids are handed out densely in creation order, so every postings list is sorted by construction.
 */
public final class MutableIndex implements BlockIndex {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final ConcurrentHashMap<Labels, MutableSeries> byLabels = new ConcurrentHashMap<>();
    private final HashMap<String, HashMap<String, IntList>> postings = new HashMap<>();
    private MutableSeries[] series = new MutableSeries[64];
    private volatile int count;

    public MutableSeries get(Labels labels) {
        return byLabels.get(labels);
    }

    /**
     * Returns the series for labels, creating it when new. {@code persist} receives the new id and must
     * durably record the series before it becomes visible; if it throws, nothing is created.
     */
    public MutableSeries getOrCreate(Labels labels, IntConsumer persist) {
        MutableSeries s = byLabels.get(labels);
        if (s != null) return s;
        lock.writeLock().lock();
        try {
            s = byLabels.get(labels);
            if (s != null) return s;
            int id = count;
            persist.accept(id);
            return add(id, labels);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Restores a series with a known id (rebuilding after restart); ids may skip holes. */
    public MutableSeries restore(int id, Labels labels) {
        lock.writeLock().lock();
        try {
            return add(id, labels);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private MutableSeries add(int id, Labels labels) {
        MutableSeries s = new MutableSeries(id, labels);
        if (id >= series.length) series = Arrays.copyOf(series, Math.max(series.length * 2, id + 1));
        series[id] = s;
        for (int i = 0; i < labels.size(); i++) {
            postings.computeIfAbsent(labels.name(i), k -> new HashMap<>())
                    .computeIfAbsent(labels.value(i), k -> new IntList(2))
                    .add(id);
        }
        byLabels.put(labels, s);
        if (id >= count) count = id + 1;
        return s;
    }

    /** Sorts rebuilt chunk lists; call once after a restore, before use. */
    public void finishRestore() {
        int n = count;
        for (int i = 0; i < n; i++) if (series[i] != null) series[i].sortBySeq();
    }

    /** The series with local id, or null for a hole. Only for ids below a count seen earlier. */
    public MutableSeries series(int id) {
        lock.readLock().lock();
        try {
            return series[id];
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public int seriesCount() { return count; }

    @Override
    public List<String> labelNames() {
        lock.readLock().lock();
        try {
            List<String> names = new ArrayList<>(postings.keySet());
            Collections.sort(names);
            return names;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<String> labelValues(String name) {
        lock.readLock().lock();
        try {
            Map<String, IntList> values = postings.get(name);
            if (values == null) return List.of();
            List<String> out = new ArrayList<>(values.keySet());
            Collections.sort(out);
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public PostingsIterator postings(String name, String value) {
        lock.readLock().lock();
        try {
            Map<String, IntList> values = postings.get(name);
            IntList ids = values == null ? null : values.get(value);
            return ids == null ? Postings.EMPTY : Postings.of(ids.array(), ids.size());
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public PostingsIterator postingsMatching(String name, Predicate<String> match) {
        lock.readLock().lock();
        try {
            Map<String, IntList> values = postings.get(name);
            if (values == null) return Postings.EMPTY;
            List<PostingsIterator> its = new ArrayList<>();
            for (Map.Entry<String, IntList> e : values.entrySet()) {
                if (match.test(e.getKey())) its.add(Postings.of(e.getValue().array(), e.getValue().size()));
            }
            return Postings.union(its);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public SeriesReader seriesReader() {
        return new SeriesReader() {
            @Override
            public Labels labels(int id) {
                MutableSeries s = series(id);
                return s == null ? null : s.labels;
            }

            @Override
            public int chunks(int id, ChunkVisitor visitor) {
                MutableSeries s = series(id);
                return s == null ? 0 : s.forEachChunk(visitor);
            }
        };
    }

    @Override
    public long diskBytes() { return 0; }

    /** Postings of every value of name, keyed by value (sealing only: the block must no longer be written). */
    Map<String, HashMap<String, IntList>> postingsForSealing() { return postings; }
}
