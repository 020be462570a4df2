package tally.server.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** A named family of children (counters or histograms) keyed by label values. */
public final class MetricFamily<T> implements Collector {
    private final String name;
    private final String help;
    private final String type;
    private final String[] labelNames;
    private final Supplier<T> factory;
    private final Map<List<String>, T> children = new ConcurrentHashMap<>();

    MetricFamily(String name, String help, String type, String[] labelNames, Supplier<T> factory) {
        this.name = name;
        this.help = help;
        this.type = type;
        this.labelNames = labelNames;
        this.factory = factory;
    }

    public T labels(String... values) {
        if (values.length != labelNames.length) {
            throw new IllegalArgumentException(name + " takes " + labelNames.length + " label values");
        }
        List<String> key = List.of(values);
        T child = children.get(key);
        return child != null ? child : children.computeIfAbsent(key, k -> factory.get());
    }

    @Override
    public void collect(MetricWriter out) {
        out.family(name, help, type);
        children.entrySet().stream()
                .sorted((a, b) -> String.join("\u0000", a.getKey()).compareTo(String.join("\u0000", b.getKey())))
                .forEach(e -> write(out, e.getKey().toArray(new String[0]), e.getValue()));
    }

    private void write(MetricWriter out, String[] values, T child) {
        if (child instanceof Counter c) {
            out.sample(name, labelNames, values, c.get());
        } else if (child instanceof Histogram h) {
            String[] names = new String[labelNames.length + 1];
            String[] vals = new String[values.length + 1];
            System.arraycopy(labelNames, 0, names, 0, labelNames.length);
            System.arraycopy(values, 0, vals, 0, values.length);
            names[labelNames.length] = "le";
            double[] bounds = h.bounds();
            for (int i = 0; i <= bounds.length; i++) {
                vals[values.length] = i == bounds.length ? "+Inf" : MetricWriter.format(bounds[i]);
                out.sample(name + "_bucket", names, vals, h.cumulative(i));
            }
            out.sample(name + "_sum", labelNames, values, h.sum());
            out.sample(name + "_count", labelNames, values, h.count());
        }
    }
}
