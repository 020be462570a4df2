package tally.server.metrics;

/** Anything that contributes metric families to /metrics (a family of the registry, or a hook such as the storage's). */
@FunctionalInterface
public interface Collector {
    void collect(MetricWriter out);
}
