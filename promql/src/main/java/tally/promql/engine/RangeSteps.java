package tally.promql.engine;

import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The start, end and step of a range query, checked once, with the messages of Prometheus's query_range handler and
 * in its order (the end before the step is even parsed). Only {@link #of} makes one, so {@link Engine#range} needs
 * no second check.
 */
public final class RangeSteps {
    private final long startMs;
    private final long endMs;
    private final long stepMs;

    private RangeSteps(long startMs, long endMs, long stepMs) {
        this.startMs = startMs;
        this.endMs = endMs;
        this.stepMs = stepMs;
    }

    /**
     * @param stepMs read after the end is checked (an API request parses its step parameter there)
     * @throws PromQLException bad_data, with Prometheus's message
     */
    public static RangeSteps of(long startMs, long endMs, LongSupplier stepMs, int maxPointsPerSeries) {
        if (endMs < startMs) throw PromQLException.badData("end timestamp must not be before start time");
        long step = stepMs.getAsLong();
        if (step <= 0) {
            throw PromQLException.badData("zero or negative query resolution step widths are not accepted. Try a positive integer");
        }
        if ((endMs - startMs) / step > maxPointsPerSeries) {
            // Prometheus's limit is 11,000; the message names the configured one, formatted alike
            throw PromQLException.badData(String.format(Locale.ROOT,
                    "exceeded maximum resolution of %,d points per timeseries. Try decreasing the query resolution (?step=XX)",
                    maxPointsPerSeries));
        }
        return new RangeSteps(startMs, endMs, step);
    }

    public long startMs() { return startMs; }

    public long endMs() { return endMs; }

    public long stepMs() { return stepMs; }
}
