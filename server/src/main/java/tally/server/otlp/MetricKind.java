package tally.server.otlp;

/** What an OTLP metric becomes in Prometheus; decides naming suffixes and metadata type. */
public enum MetricKind {
    MONOTONIC_COUNTER("counter"),
    NON_MONOTONIC_COUNTER("gauge"),
    GAUGE("gauge"),
    HISTOGRAM("histogram"),
    EXPONENTIAL_HISTOGRAM("histogram"),
    SUMMARY("summary");

    /** The Prometheus metadata type. */
    public final String promType;

    MetricKind(String promType) { this.promType = promType; }
}
