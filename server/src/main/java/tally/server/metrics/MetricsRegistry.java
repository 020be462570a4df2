package tally.server.metrics;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;

/** Tally's own metrics: families and collector hooks, rendered in registration order. */
public final class MetricsRegistry {
    private final List<Collector> collectors = new CopyOnWriteArrayList<>();

    public MetricFamily<Counter> counter(String name, String help, String... labelNames) {
        MetricFamily<Counter> f = new MetricFamily<>(name, help, "counter", labelNames, Counter::new);
        collectors.add(f);
        return f;
    }

    public MetricFamily<Histogram> histogram(String name, String help, double[] bounds, String... labelNames) {
        MetricFamily<Histogram> f = new MetricFamily<>(name, help, "histogram", labelNames, () -> new Histogram(bounds));
        collectors.add(f);
        return f;
    }

    /** A gauge read at scrape time. */
    public void gauge(String name, String help, DoubleSupplier value) {
        collectors.add(out -> out.family(name, help, "gauge").sample(name, value.getAsDouble()));
    }

    /** A hook (e.g. the storage's active series, WAL and chunk bytes) asked for its families on every scrape. */
    public void register(Collector collector) {
        collectors.add(collector);
    }

    public String render() {
        StringBuilder sb = new StringBuilder(8192);
        MetricWriter w = new MetricWriter(sb);
        for (Collector c : collectors) c.collect(w);
        return sb.toString();
    }
}
