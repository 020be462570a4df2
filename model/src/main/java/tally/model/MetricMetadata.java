package tally.model;

/** Type, help and unit of a metric family, as reported by senders and served by /api/v1/metadata. */
public record MetricMetadata(String type, String help, String unit) {}
