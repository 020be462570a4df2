package tally.storage.head;

import java.util.concurrent.atomic.LongAdder;

/** Counters the server exports on /metrics. */
public final class HeadStats {
    public final LongAdder seriesCreated = new LongAdder();
    public final LongAdder seriesRemoved = new LongAdder();
    public final LongAdder samplesAppended = new LongAdder();
    public final LongAdder samplesOutOfOrder = new LongAdder();
    public final LongAdder samplesDuplicate = new LongAdder();
    public final LongAdder samplesTooOld = new LongAdder();
    public final LongAdder chunksFlushed = new LongAdder();
    public final LongAdder flushes = new LongAdder();
    public final LongAdder replayUnknownSeriesSamples = new LongAdder();
}
