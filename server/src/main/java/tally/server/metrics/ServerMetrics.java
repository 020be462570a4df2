package tally.server.metrics;

/** The counters and histograms the server itself updates, created once per server. */
public final class ServerMetrics {
    /** Request latency buckets in seconds: sub-millisecond appends up to slow multi-second queries. */
    private static final double[] LATENCY_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    public final MetricsRegistry registry;
    public final MetricFamily<Counter> samplesIngested;
    public final MetricFamily<Counter> seriesIngested;
    public final MetricFamily<Counter> samplesRejected;
    public final MetricFamily<Counter> requestsThrottled;
    public final MetricFamily<Counter> httpRequests;
    public final MetricFamily<Histogram> httpDuration;
    public final MetricFamily<Counter> grpcRequests;

    public ServerMetrics(MetricsRegistry registry) {
        this.registry = registry;
        samplesIngested = registry.counter("tally_ingest_samples_total",
                "Samples appended and committed, by protocol.", "protocol");
        seriesIngested = registry.counter("tally_ingest_series_total",
                "Series written to per request, summed over requests, by protocol.", "protocol");
        samplesRejected = registry.counter("tally_ingest_rejected_samples_total",
                "Samples or data points refused, by protocol and reason.", "protocol", "reason");
        requestsThrottled = registry.counter("tally_ingest_requests_throttled_total",
                "Ingest requests answered \"retry later\" before decoding, by protocol and reason (in_flight: too many at once; "
                        + "storage: the storage is catching up, see tally_head_series and tally_heap_after_gc_ratio).",
                "protocol", "reason");
        httpRequests = registry.counter("tally_http_requests_total",
                "HTTP requests served, by handler and status code.", "handler", "code");
        httpDuration = registry.histogram("tally_http_request_duration_seconds",
                "HTTP request latency from full body received to response written, by handler.", LATENCY_BUCKETS, "handler");
        grpcRequests = registry.counter("tally_grpc_requests_total",
                "OTLP/gRPC calls answered, by method and grpc-status code (415/405: not a gRPC request; "
                        + "cancelled: the request was not complete by its deadline).", "method", "code");
    }

    public static ServerMetrics create() {
        return new ServerMetrics(new MetricsRegistry());
    }
}
