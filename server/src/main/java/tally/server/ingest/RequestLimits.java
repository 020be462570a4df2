package tally.server.ingest;

/**
 * How much one ingest request may carry (0 = unlimited): a sender that packs more is told to send smaller batches
 * (413, not retried as is) before its samples fill the appender's buffers. Prometheus sends 2,000 samples per
 * remote-write request by default and the OTel SDKs a few thousand points, far below the defaults.
 */
public record RequestLimits(long maxSeries, long maxSamples) {
    public static final RequestLimits NONE = new RequestLimits(0, 0);
}
