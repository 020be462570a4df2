package tally.server.otlp;

/**
 * Receives an OTLP metrics request element by element, in document order, from either decoder
 * (the hand-written protobuf one or the generated-classes walk used for JSON). Arrays and attribute
 * lists are reused between calls: copy what you keep.
 */
interface OtlpVisitor {
    /** What a metric carries. */
    enum DataKind { NONE, GAUGE, SUM, HISTOGRAM, EXPONENTIAL_HISTOGRAM, SUMMARY }

    void resource(AttrList attributes);

    void scope(String name, String version, String schemaUrl, AttrList attributes);

    /** @param temporality the AggregationTemporality number (0 unspecified, 1 delta, 2 cumulative) */
    void metric(String name, String description, String unit, DataKind kind, int temporality, boolean monotonic);

    void number(AttrList attributes, long startNs, long timeNs, int flags, double value);

    void histogram(AttrList attributes, long startNs, long timeNs, int flags, long count, double sum, boolean hasSum,
                   double[] bounds, int boundCount, long[] buckets, int bucketCount);

    void summary(AttrList attributes, long timeNs, int flags, long count, double sum, double[] quantiles, double[] values, int n);

    /** A point of a kind Tally refuses (exponential histogram). */
    void unsupportedPoint();

    void endResource();
}
