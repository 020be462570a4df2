package tally.storage.head;

import java.util.concurrent.atomic.LongAdder;

/** Counters the server exports on /metrics. */
public final class HeadStats {
    public final LongAdder seriesCreated = new LongAdder();
    public final LongAdder seriesRemoved = new LongAdder();
    public final LongAdder samplesAppended = new LongAdder();
    /** Refused: older than the series' newest sample and out-of-order ingestion disabled. */
    public final LongAdder samplesOutOfOrder = new LongAdder();
    /** Accepted older than the series' newest sample (within the out-of-order window). */
    public final LongAdder samplesOutOfOrderAppended = new LongAdder();
    public final LongAdder samplesDuplicate = new LongAdder();
    public final LongAdder samplesTooOld = new LongAdder();
    public final LongAdder chunksFlushed = new LongAdder();
    public final LongAdder flushes = new LongAdder();
    public final LongAdder replayUnknownSeriesSamples = new LongAdder();
}
