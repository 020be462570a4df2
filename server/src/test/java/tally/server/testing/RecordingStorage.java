package tally.server.testing;

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

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * TEST-ONLY in-memory Storage that records what the server appends, faithful to the Appender
 * contract: nothing visible before commit, rollback discards, out-of-order and duplicate
 * (same time, different value) samples throw AppendException at append time. Only for tests that
 * must observe or break appender calls (failing or held commits, close); everything end to end runs
 * over the real TallyStorage (see {@link TestServer}).
 */
public final class RecordingStorage implements Storage {
    private final ConcurrentHashMap<Labels, ConcurrentSkipListMap<Long, Double>> series = new ConcurrentHashMap<>();
    private final Map<String, List<MetricMetadata>> metadata = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile RuntimeException failCommits;
    private volatile Runnable commitHook;
    private volatile tally.model.Overload overload;
    private volatile RuntimeException failAppends;
    private volatile int appendsBeforeFailure;
    /** Batches that queued samples and were neither committed nor rolled back (HeadAppender would keep its buffers). */
    private final java.util.concurrent.atomic.AtomicInteger openBatches = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public Appender appender() {
        if (closed) throw new IllegalStateException("storage closed");
        return new Appender() {
            private final Map<Labels, TreeMap<Long, Double>> pending = new LinkedHashMap<>();
            private int appends;
            private boolean open;

            @Override
            public long append(long ref, Labels labels, long t, double v) {
                RuntimeException fail = failAppends;
                if (fail != null && appends >= appendsBeforeFailure) throw fail;
                appends++;
                if (!open) {
                    open = true;
                    openBatches.incrementAndGet();
                }
                if (labels.metricName() == null) throw new AppendException(AppendException.Reason.INVALID_LABELS, "no metric name");
                TreeMap<Long, Double> mine = pending.get(labels);
                Map.Entry<Long, Double> last = mine != null && !mine.isEmpty() ? mine.lastEntry() : null;
                if (last == null) {
                    ConcurrentSkipListMap<Long, Double> stored = series.get(labels);
                    last = stored == null || stored.isEmpty() ? null : stored.lastEntry();
                }
                if (last != null) {
                    if (t < last.getKey()) throw new AppendException(AppendException.Reason.OUT_OF_ORDER, null);
                    if (t == last.getKey()) {
                        if (Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(last.getValue())) return 1;
                        throw new AppendException(AppendException.Reason.DUPLICATE, null);
                    }
                }
                pending.computeIfAbsent(labels, k -> new TreeMap<>()).put(t, v);
                return 1;
            }

            @Override
            public void commit() {
                Runnable hook = commitHook;
                if (hook != null) hook.run();
                RuntimeException fail = failCommits;
                if (fail != null) {
                    end(); // as HeadAppender's commit: its buffers go back to the pool even when it throws
                    throw fail;
                }
                pending.forEach((l, samples) -> series.computeIfAbsent(l, k -> new ConcurrentSkipListMap<>()).putAll(samples));
                pending.clear();
                end();
            }

            @Override
            public void rollback() {
                pending.clear();
                end();
            }

            private void end() {
                if (open) openBatches.decrementAndGet();
                open = false;
                appends = 0;
            }
        };
    }

    /** Runs before every commit (tests use it to hold a request in flight). */
    public void onCommit(Runnable hook) { commitHook = hook; }

    /** Holds every commit from now on until {@link CommitHold#release()}: a request stays in flight as long as a test needs. */
    public CommitHold holdCommits() {
        CommitHold hold = new CommitHold();
        onCommit(hold::hold);
        return hold;
    }

    /** Commits waiting in {@link #holdCommits()}. */
    public static final class CommitHold {
        private final java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
        private final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

        private void hold() {
            inside.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Waits until a commit is being held; false after 10 s without one. */
        public boolean awaitHeld() throws InterruptedException {
            return inside.await(10, java.util.concurrent.TimeUnit.SECONDS);
        }

        /** Lets the held commit and every later one go through. */
        public void release() {
            release.countDown();
        }
    }

    /**
     * Makes every append after the first {@code okAppends} of a batch throw {@code e} (a storage failing mid-request,
     * as opposed to refusing a sample) until called with null.
     */
    public void failAppends(int okAppends, RuntimeException e) {
        appendsBeforeFailure = okAppends;
        failAppends = e;
    }

    /** Batches that appended samples and were neither committed nor rolled back: should be 0 between requests. */
    public int openBatches() { return openBatches.get(); }

    /** Makes every commit throw (simulates a failing disk) until called with null. */
    public void failCommits(RuntimeException e) { failCommits = e; }

    /** What {@link #overload()} answers from now on (null: takes samples). */
    public void overload(tally.model.Overload o) { overload = o; }

    @Override
    public tally.model.Overload overload() { return overload; }

    /** Committed samples of one series (empty when none). */
    public NavigableMap<Long, Double> samples(Labels labels) {
        NavigableMap<Long, Double> s = series.get(labels);
        return s == null ? new TreeMap<>() : s;
    }

    public Map<Labels, NavigableMap<Long, Double>> all() {
        return new HashMap<>(series);
    }

    /** Series whose metric name is {@code name}. */
    public Map<Labels, NavigableMap<Long, Double>> byName(String name) {
        Map<Labels, NavigableMap<Long, Double>> out = new HashMap<>();
        series.forEach((l, s) -> {
            if (name.equals(l.metricName())) out.put(l, s);
        });
        return out;
    }

    public long sampleCount() {
        long n = 0;
        for (ConcurrentSkipListMap<Long, Double> s : series.values()) n += s.size();
        return n;
    }

    public boolean isClosed() { return closed; }

    @Override
    public void putMetadata(String metric, MetricMetadata md) {
        metadata.compute(metric, (k, list) -> {
            List<MetricMetadata> out = list == null ? new ArrayList<>() : new ArrayList<>(list);
            out.remove(md);
            out.add(md);
            return out;
        });
    }

    @Override
    public Map<String, List<MetricMetadata>> metadata() { return metadata; }

    @Override
    public void close() { closed = true; }

    /** Opens again after {@link #close()}, keeping the data (a restart). */
    public void reopen() { closed = false; }

    @Override
    public Querier querier(long mint, long maxt) {
        return new Querier() {
            @Override
            public SeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers) {
                long lo = hints == null ? mint : Math.max(mint, hints.start());
                long hi = hints == null ? maxt : Math.min(maxt, hints.end());
                List<Series> hits = new ArrayList<>();
                series.forEach((l, s) -> {
                    for (Matcher m : matchers) if (!m.matches(l)) return;
                    NavigableMap<Long, Double> window = s.subMap(lo, true, hi, true);
                    if (!window.isEmpty()) hits.add(new Series() {
                        @Override public Labels labels() { return l; }
                        @Override public SampleIterator iterator(SampleIterator reuse) { return iterate(window); }
                    });
                });
                if (sorted) hits.sort((a, b) -> a.labels().compareTo(b.labels()));
                Iterator<Series> it = hits.iterator();
                return new SeriesSet() {
                    private Series cur;
                    @Override public boolean next() {
                        if (!it.hasNext()) return false;
                        cur = it.next();
                        return true;
                    }
                    @Override public Series at() { return cur; }
                };
            }

            @Override public List<String> labelNames(List<Matcher> matchers) { throw new UnsupportedOperationException("not needed by the server tests"); }
            @Override public List<String> labelValues(String name, List<Matcher> matchers) { throw new UnsupportedOperationException("not needed by the server tests"); }
            @Override public void close() {}
        };
    }

    private static SampleIterator iterate(NavigableMap<Long, Double> window) {
        List<Map.Entry<Long, Double>> list = new ArrayList<>(window.entrySet());
        return new SampleIterator() {
            private int i = -1;
            @Override public boolean next() { return ++i < list.size(); }
            @Override public boolean seek(long t) {
                if (i < 0) i = 0;
                while (i < list.size() && list.get(i).getKey() < t) i++;
                return i < list.size();
            }
            @Override public long atT() { return list.get(i).getKey(); }
            @Override public double atV() { return list.get(i).getValue(); }
        };
    }
}
