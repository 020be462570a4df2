package tally.server.events;

import tally.model.Labels;
import tally.server.ingest.IngestBatch;
import tally.server.ingest.MetadataRecorder;
import tally.server.otlp.AttrList;
import tally.server.otlp.HistogramSeries;
import tally.server.otlp.SeriesLabeler;
import tally.server.otlp.delta.DeltaAccumulator;
import tally.server.otlp.delta.HistogramStream;
import tally.server.otlp.delta.NumberStream;
import tally.server.otlp.delta.StreamKey;

import java.util.ArrayList;
import java.util.List;

/**
 * Appends one batch's derived increments as cumulative series. The running totals are the delta accumulator's streams
 * (shared with OTLP delta metrics): in memory while used, recovered from the series' last stored sample after a
 * restart or an idle eviction ({@code --otlp.delta.recovery-lookback}), forgotten when a commit fails.
 *
 * <p>Timestamps: a sample goes at the event's time, or 1 ms after the series' last sample when that is later.
 * Claude Code's exports arrive 1-5 s late and can interleave, so an event may be older than a sample another batch
 * already wrote; storage refuses samples older than a series' newest, and moving the late one forward keeps every
 * count (and each series in order) at the cost of a few seconds of placement.
 */
final class EventSeriesWriter implements EventDeriver.Sink {
    /**
     * The attributes every derived series carries, as the metrics Claude Code sends carry them (same names through
     * the same labeler): who and where. Never session, prompt, request or tool-use ids: one series per session would
     * turn long-lived counters into the churn the metrics already have.
     */
    static final List<String> IDENTITY = List.of("user.id", "user.email", "organization.id", "user.account_uuid", "terminal.type");

    /**
     * One resource hash for every derived stream: events of two resources whose labels are the same (one user on two
     * hosts) feed one series, so they must add into one running total.
     */
    private static final long STREAM_HASH = 0;
    private static final long MS = 1_000_000L;

    private final DeltaAccumulator streams;
    private final IngestBatch batch;
    private final MetadataRecorder metadata;
    private final SeriesLabeler labeler;
    private final EventStats stats;
    private final AttrList attrs = new AttrList();
    private final List<StreamKey> touched = new ArrayList<>();
    private SeenEventsJournal.Witness witness;
    private int appended;
    private int refused;

    EventSeriesWriter(DeltaAccumulator streams, IngestBatch batch, MetadataRecorder metadata, SeriesLabeler labeler, EventStats stats) {
        this.streams = streams;
        this.batch = batch;
        this.metadata = metadata;
        this.labeler = labeler;
        this.stats = stats;
    }

    /** Starts an event: {@link #appended()} and {@link #refused()} count its increments from here. */
    void begin() {
        appended = 0;
        refused = 0;
    }

    int appended() { return appended; }

    int refused() { return refused; }

    /** A sample this batch appended (null when none): present in storage iff the batch was committed. */
    SeenEventsJournal.Witness witness() { return witness; }

    /** Streams changed by this batch: to forget if its commit fails. */
    List<StreamKey> touched() { return touched; }

    @Override
    public void count(DerivedMetric metric, ClaudeCodeEvent event, String... labels) {
        metadata.record(metric.name(), metric.metadata());
        StreamKey key = new StreamKey(STREAM_HASH, labels(metric, event, labels));
        NumberStream s = streams.number(key, event.timeMs());
        if (s == null) {
            streamLimit();
            return;
        }
        long t = time(event.timeMs(), s.lastTimeNs());
        double total = s.totalWith(1);
        if (!batch.append(key.labels(), t, total)) {
            refused++;
            return;
        }
        s.commit(0, t * MS, total);
        accepted(key, new SeenEventsJournal.Witness(key.labels(), t, total));
    }

    @Override
    public void observe(DerivedMetric metric, ClaudeCodeEvent event, double value, String... labels) {
        metadata.record(metric.name(), metric.metadata());
        StreamKey key = new StreamKey(STREAM_HASH, labels(metric, event, labels));
        double[] bounds = metric.bounds();
        HistogramStream s = streams.histogram(key, bounds, event.timeMs());
        if (s == null) {
            streamLimit();
            return;
        }
        long t = time(event.timeMs(), s.lastTimeNs());
        long[] one = new long[bounds.length + 1];
        one[metric.bucket(value)] = 1;
        HistogramStream.Totals totals = s.totalsWith(bounds, one, 1, value);
        if (!HistogramSeries.write(batch, key.labels(), metric.name(), t, bounds, totals.cumulativeBuckets(), totals.count(),
                totals.sum(), true)) {
            streams.forget(List.of(key)); // partly written: the next event re-reads the stored truth
            refused++;
            return;
        }
        s.commit(0, t * MS, totals);
        Labels count = key.labels().toBuilder().set(Labels.METRIC_NAME, metric.name() + "_count").build();
        accepted(key, new SeenEventsJournal.Witness(count, t, totals.count()));
    }

    @Override
    public void rejectedField(ClaudeCodeEvent event, String field) {
        stats.rejectedFields.labels(event.name(), field).inc();
    }

    private void accepted(StreamKey key, SeenEventsJournal.Witness w) {
        touched.add(key);
        witness = w;
        appended++;
    }

    private void streamLimit() {
        batch.refuse("delta_stream_limit", "too many running totals in memory; raise --otlp.delta.max-streams");
        refused++;
    }

    private Labels labels(DerivedMetric metric, ClaudeCodeEvent e, String[] extra) {
        attrs.clear();
        for (String key : IDENTITY) add(key, e.text(key));
        for (int i = 0; i < extra.length; i += 2) add(extra[i], extra[i + 1]);
        return labeler.labels(attrs, e.resource(), e.scopeLabels(), metric.name());
    }

    private void add(String key, String value) {
        if (value != null && !value.isEmpty()) attrs.add(key, value);
    }

    /** The event's time, or 1 ms after the series' last sample when that is not earlier (0: the series has none). */
    static long time(long eventMs, long lastNs) {
        return lastNs == 0 ? eventMs : Math.max(eventMs, lastNs / MS + 1);
    }
}
