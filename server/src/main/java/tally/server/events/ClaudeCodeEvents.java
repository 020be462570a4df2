package tally.server.events;

import io.opentelemetry.proto.common.v1.AnyValue;
import tally.model.Appendable;
import tally.server.ingest.IngestBatch;
import tally.server.ingest.LabelLimits;
import tally.server.ingest.MetadataRecorder;
import tally.server.log.Log;
import tally.server.metrics.MetricsRegistry;
import tally.server.otlp.LabelNamer;
import tally.server.otlp.SeriesLabeler;
import tally.server.otlp.delta.DeltaAccumulator;
import tally.server.otlp.delta.SeriesHistory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Counts Claude Code's events into the derived series, each {@code (session.id, event.sequence)} once, across
 * restarts. One batch (one export) at a time: skip what was counted, derive, journal, commit, then remember what was
 * counted. Serialized by one lock: event exports are small (Claude Code sends a few to a few dozen records a second
 * per active session) and it makes "already counted?" and "now counted" one step for concurrent retries.
 */
public final class ClaudeCodeEvents implements AutoCloseable {
    private static final long EXPIRE_EVERY_MILLIS = 60_000;
    private static final LinkedHashSet<Long> NONE = new LinkedHashSet<>();

    /** What a batch did: its appends and refusals, and how many log records were refused (partial success). */
    public record Result(IngestBatch batch, long rejectedRecords, String message) {}

    /** The storage or the record of counted events could not take the batch; nothing of it counts. Retryable. */
    public static final class StorageFailure extends Exception {
        StorageFailure(String message) {
            super(message, null, false, false);
        }
    }

    private final Appendable storage;
    private final DeltaAccumulator streams;
    private final MetadataRecorder metadata;
    private final LabelLimits limits;
    private final LabelNamer labelNamer;
    private final SeenEvents seen;
    private final SeenEventsJournal journal;
    private final EventStats stats;
    private final LongSupplier clock;
    private long lastExpiry;

    private ClaudeCodeEvents(Appendable storage, DeltaAccumulator streams, MetadataRecorder metadata, LabelLimits limits,
                             LabelNamer labelNamer, SeenEvents seen, SeenEventsJournal journal, EventStats stats, LongSupplier clock) {
        this.storage = storage;
        this.streams = streams;
        this.metadata = metadata;
        this.limits = limits;
        this.labelNamer = labelNamer;
        this.seen = seen;
        this.journal = journal;
        this.stats = stats;
        this.clock = clock;
        this.lastExpiry = clock.getAsLong();
    }

    /**
     * Opens the record of counted events in {@code dataDir} (replaying it against {@code history}, the storage) and
     * registers the events' self-metrics.
     *
     * @param dedupWindowMillis how long a session's counted events are remembered after its last record arrived
     * @param sync              force every journal record to disk (as {@code --storage.wal.fsync=always} does the WAL)
     */
    public static ClaudeCodeEvents open(Path dataDir, long dedupWindowMillis, boolean sync, Appendable storage, SeriesHistory history,
                                        DeltaAccumulator streams, MetadataRecorder metadata, LabelLimits limits, LabelNamer labelNamer,
                                        MetricsRegistry registry, LongSupplier clock) throws IOException {
        SeenEvents seen = new SeenEvents(dedupWindowMillis, SeenEvents.DEFAULT_MAX_SESSIONS);
        java.nio.file.Files.createDirectories(dataDir);
        SeenEventsJournal journal = SeenEventsJournal.open(dataDir.resolve(SeenEventsJournal.FILE_NAME), seen, history, sync,
                clock.getAsLong());
        EventStats stats = new EventStats(registry);
        ClaudeCodeEvents events = new ClaudeCodeEvents(storage, streams, metadata, limits, labelNamer, seen, journal, stats, clock);
        stats.exportSeen(registry, seen, events);
        return events;
    }

    /** Counts one export's Claude Code events (in time order, so each series' samples are too). */
    public synchronized Result ingest(List<ClaudeCodeEvent> events) throws StorageFailure {
        long now = clock.getAsLong();
        List<ClaudeCodeEvent> ordered = new ArrayList<>(events);
        ordered.sort(Comparator.comparingLong(ClaudeCodeEvent::timeMs));
        IngestBatch batch = new IngestBatch(storage.appender(), limits);
        EventSeriesWriter writer = new EventSeriesWriter(streams, batch, metadata, new SeriesLabeler(labelNamer), stats);
        Map<String, LinkedHashSet<Long>> marks = new LinkedHashMap<>();
        long rejected = 0;
        long pendingId = -1;
        try {
            for (ClaudeCodeEvent e : ordered) {
                String session = e.session();
                long seq = sequence(e, writer);
                boolean keyed = session != null && seq >= 0;
                if (keyed && (seen.contains(session, seq) || marks.getOrDefault(session, NONE).contains(seq))) {
                    stats.duplicates.inc();
                    continue;
                }
                writer.begin();
                EventDeriver.derive(e, writer);
                if (writer.refused() > 0) rejected++;
                // counted unless everything it derives was refused (then a retry may count it)
                if (keyed && (writer.appended() > 0 || writer.refused() == 0)) marks.computeIfAbsent(session, k -> new LinkedHashSet<>()).add(seq);
            }
            if (writer.witness() != null) pendingId = journal.pending(marks, now, writer.witness());
            batch.commit();
        } catch (IOException | RuntimeException e) {
            try {
                batch.rollback();
            } catch (RuntimeException ignored) {
                // the storage is already failing; the first error is the one to report
            }
            streams.forget(writer.touched());
            Log.error("Claude Code events not counted", "err", e.toString());
            throw new StorageFailure((e instanceof IOException ? "cannot record counted events: " : "storage could not take the data: ")
                    + e.getMessage());
        }
        remember(marks, pendingId, now);
        return new Result(batch, rejected, rejected > 0 ? batch.refusalSummary() : "");
    }

    /** The event's sequence number, -1 when absent or not a whole number >= 0 (then reported as a rejected field). */
    private static long sequence(ClaudeCodeEvent e, EventSeriesWriter writer) {
        AnyValue raw = e.attr(ClaudeCodeEvent.SEQUENCE);
        if (raw == null) return -1;
        long seq = EventValues.sequence(raw);
        if (seq < 0) writer.rejectedField(e, ClaudeCodeEvent.SEQUENCE);
        return seq;
    }

    /** After the commit: the marks count now; journal them (failures only cost dedup precision after a restart). */
    private void remember(Map<String, LinkedHashSet<Long>> marks, long pendingId, long now) {
        for (Map.Entry<String, LinkedHashSet<Long>> m : marks.entrySet()) {
            for (long seq : m.getValue()) seen.add(m.getKey(), seq, now);
        }
        try {
            if (pendingId >= 0) journal.committed(pendingId); // if lost, the witness decides on the next start
            else if (!marks.isEmpty()) journal.counted(marks, now);
            if (now - lastExpiry >= EXPIRE_EVERY_MILLIS) {
                seen.expire(now);
                lastExpiry = now;
            }
            if (journal.wantsCompaction()) {
                seen.expire(now);
                journal.compact(seen);
            }
        } catch (IOException e) {
            Log.warn("cannot write the record of counted Claude Code events", "file", SeenEventsJournal.FILE_NAME, "err", e.toString());
        }
    }

    @Override
    public synchronized void close() {
        try {
            journal.close();
        } catch (IOException e) {
            Log.warn("cannot close the record of counted Claude Code events", "err", e.toString());
        }
    }
}
