package tally.model;

/**
 * What a select is for, so storage can skip work: the time range actually needed (ms, inclusive),
 * and the PromQL function and range that will consume the samples (may be null/0).
 */
public record SelectHints(long start, long end, String func, long rangeMs, long stepMs) {
    public static SelectHints range(long start, long end) {
        return new SelectHints(start, end, null, 0, 0);
    }
}
