package tally.server.otlp.delta;

import tally.model.Labels;
import tally.server.log.Log;
import tally.server.otlp.PromFormat;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Turns OTLP delta points into cumulative totals, per stream (see docs/otlp-delta.md).
 * Streams live in memory; a stream not in memory (after a Tally restart, or evicted after being
 * idle for {@code maxIdleMillis}) resumes from its last total in storage.
 */
public final class DeltaAccumulator implements AutoCloseable {
    /** Upper bound for recovery reads: anything stored after the point makes the point out of order. */
    private static final long FAR_FUTURE = Long.MAX_VALUE / 4;

    private final ConcurrentHashMap<StreamKey, Stream> streams = new ConcurrentHashMap<>();
    private final SeriesHistory history;
    private final int maxStreams;
    private final long maxIdleMillis;
    private final long lookbackMillis;
    private final LongSupplier clock;
    private final ScheduledExecutorService sweeper;

    public DeltaAccumulator(SeriesHistory history, int maxStreams, long maxIdleMillis, long lookbackMillis, LongSupplier clock, boolean sweep) {
        this.history = history;
        this.maxStreams = maxStreams;
        this.maxIdleMillis = maxIdleMillis;
        this.lookbackMillis = lookbackMillis;
        this.clock = clock;
        if (sweep) {
            sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "delta-evictor");
                t.setDaemon(true);
                return t;
            });
            long every = Math.max(1000, Math.min(maxIdleMillis / 2, 60_000));
            sweeper.scheduleWithFixedDelay(this::evictIdle, every, every, TimeUnit.MILLISECONDS);
        } else {
            sweeper = null;
        }
    }

    /** The stream for a Sum delta point, recovered from storage on a miss; null when the stream limit is reached. */
    public NumberStream number(StreamKey key, long pointTimeMs) {
        Stream s = streams.get(key);
        if (!(s instanceof NumberStream)) {
            if (s == null && streams.size() >= maxStreams) return null;
            s = install(key, recoverNumber(key.labels(), pointTimeMs));
        }
        s.lastUsedMillis = clock.getAsLong();
        return (NumberStream) s;
    }

    /** The stream for a histogram delta point ({@code base} carries the histogram's base name). */
    public HistogramStream histogram(StreamKey key, double[] bounds, long pointTimeMs) {
        Stream s = streams.get(key);
        if (!(s instanceof HistogramStream)) {
            if (s == null && streams.size() >= maxStreams) return null;
            s = install(key, recoverHistogram(key.labels(), bounds, pointTimeMs));
        }
        s.lastUsedMillis = clock.getAsLong();
        return (HistogramStream) s;
    }

    private Stream install(StreamKey key, Stream fresh) {
        // another request may have installed the same stream meanwhile: keep the first one of the right type
        return streams.compute(key, (k, cur) -> cur != null && cur.getClass() == fresh.getClass() ? cur : fresh);
    }

    /** Drops streams whose appends were not committed, so the next point re-reads the truth from storage. */
    public void forget(Collection<StreamKey> keys) {
        for (StreamKey k : keys) streams.remove(k);
    }

    public int size() { return streams.size(); }

    /** Removes streams unused for longer than the idle limit; returns how many. */
    public int evictIdle() {
        long cutoff = clock.getAsLong() - maxIdleMillis;
        int before = streams.size();
        streams.values().removeIf(s -> s.lastUsedMillis < cutoff);
        int evicted = before - streams.size();
        if (evicted > 0) Log.debug("evicted idle delta streams", "count", evicted, "remaining", streams.size());
        return evicted;
    }

    private NumberStream recoverNumber(Labels series, long pointTimeMs) {
        SeriesHistory.LastSample last = history.last(series, pointTimeMs - lookbackMillis, FAR_FUTURE);
        if (last == null) return new NumberStream(0, 0, 0);
        double total = Double.isNaN(last.value()) ? 0 : last.value();
        return new NumberStream(0, last.t() * 1_000_000L, total);
    }

    private HistogramStream recoverHistogram(Labels base, double[] bounds, long pointTimeMs) {
        long mint = pointTimeMs - lookbackMillis;
        String name = base.metricName();
        HistogramStream fresh = new HistogramStream(0, 0, bounds, new double[bounds.length + 1], 0, 0);
        SeriesHistory.LastSample count = history.last(renamed(base, name + "_count", null), mint, FAR_FUTURE);
        if (count == null || Double.isNaN(count.value())) return fresh;
        double[] cum = new double[bounds.length + 1];
        for (int i = 0; i <= bounds.length; i++) {
            String le = i == bounds.length ? "+Inf" : PromFormat.le(bounds[i]);
            SeriesHistory.LastSample b = history.last(renamed(base, name + "_bucket", le), mint, FAR_FUTURE);
            if (b == null || Double.isNaN(b.value())) return fresh; // layout changed: start over
            cum[i] = b.value();
        }
        SeriesHistory.LastSample sum = history.last(renamed(base, name + "_sum", null), mint, FAR_FUTURE);
        double[] raw = new double[cum.length];
        for (int i = 0; i < cum.length; i++) raw[i] = cum[i] - (i == 0 ? 0 : cum[i - 1]);
        double s = sum == null || Double.isNaN(sum.value()) ? 0 : sum.value();
        return new HistogramStream(0, count.t() * 1_000_000L, bounds, raw, count.value(), s);
    }

    private static Labels renamed(Labels base, String name, String le) {
        var b = base.toBuilder().set(Labels.METRIC_NAME, name);
        if (le != null) b.set("le", le);
        return b.build();
    }

    @Override
    public void close() {
        if (sweeper != null) sweeper.shutdownNow();
    }
}
