package tally.forward.wire;

/**
 * Tally's metadata type strings to the remote-write enums. Both versions number the types alike: prompb's
 * {@code MetricMetadata.MetricType} (UNKNOWN = 0, COUNTER = 1, GAUGE = 2, HISTOGRAM = 3, GAUGEHISTOGRAM = 4,
 * SUMMARY = 5, INFO = 6, STATESET = 7) and 2.0's {@code Metadata.MetricType} (METRIC_TYPE_UNSPECIFIED = 0, ...).
 */
final class MetricTypes {
    private MetricTypes() {}

    /** The enum number for a type string; 0 (unknown) for null, "unknown" and anything unrecognised. */
    static int number(String type) {
        if (type == null) return 0;
        return switch (type) {
            case "counter" -> 1;
            case "gauge" -> 2;
            case "histogram" -> 3;
            case "gaugehistogram" -> 4;
            case "summary" -> 5;
            case "info" -> 6;
            case "stateset" -> 7;
            default -> 0;
        };
    }
}
