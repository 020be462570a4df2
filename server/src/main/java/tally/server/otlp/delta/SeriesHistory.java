package tally.server.otlp.delta;

import tally.model.Labels;

/** Where a delta stream that is not in memory (Tally restarted, or evicted) finds its last stored total. */
@FunctionalInterface
public interface SeriesHistory {
    /** The last sample of exactly this series in [mint, maxt], or null when there is none. */
    LastSample last(Labels series, long mint, long maxt);

    /** Time of the last sample and the last value that is not a stale marker (NaN when all are). */
    record LastSample(long t, double value) {}

    SeriesHistory NONE = (series, mint, maxt) -> null;
}
