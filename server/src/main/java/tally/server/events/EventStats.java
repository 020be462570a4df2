package tally.server.events;

import tally.server.metrics.Counter;
import tally.server.metrics.MetricFamily;
import tally.server.metrics.MetricsRegistry;

/** Tally's own metrics about Claude Code's events (on /metrics). Label values come from code, not from senders. */
public final class EventStats {
    final Counter duplicates;
    final MetricFamily<Counter> rejectedFields;

    public EventStats(MetricsRegistry registry) {
        duplicates = registry.counter("tally_events_duplicates_total",
                "Claude Code events not counted again: their (session.id, event.sequence) was already counted (exporter retries).")
                .labels();
        rejectedFields = registry.counter("tally_events_rejected_fields_total",
                "Fields of Claude Code events that did not parse (the event still counts; the field's histogram does not), "
                        + "by event and field.", "event", "field");
    }

    /** The size of the record of counted events, read at scrape time. */
    void exportSeen(MetricsRegistry registry, SeenEvents seen, Object lock) {
        registry.gauge("tally_events_dedup_sessions", "Sessions whose counted event sequence numbers are remembered.", () -> {
            synchronized (lock) {
                return seen.sessions();
            }
        });
        registry.register(out -> {
            long evicted;
            synchronized (lock) {
                evicted = seen.evicted();
            }
            out.family("tally_events_dedup_sessions_evicted_total",
                    "Sessions forgotten before their window ended because too many were remembered.", "counter")
                    .sample("tally_events_dedup_sessions_evicted_total", evicted);
        });
    }
}
