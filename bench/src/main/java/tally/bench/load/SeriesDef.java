package tally.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One generated series in both of its shapes: the Prometheus label set (sorted by name, encoded once)
 * for remote-write, and the OTLP metric name, unit and data-point attributes for OTLP.
 * It also carries the small per-series state the delta encoder needs across requests.
 */
final class SeriesDef {
    final byte[][] labelNames;
    final byte[][] labelValues;
    final boolean counter;
    final String otlpName;
    final String otlpUnit;
    final byte[][] attrKeys;
    final byte[][] attrValues;
    final OtlpResource resource;
    /** Time of the series' first sample: OTLP start_time_unix_nano of cumulative points. */
    long startMs = -1;
    /** Delta encoding state: last cumulative value and time that were exported as a delta point. */
    double deltaBase;
    long deltaLastMs = Long.MIN_VALUE;

    SeriesDef(String[] labels, boolean counter, String otlpName, String otlpUnit, String[] attrs, OtlpResource resource) {
        int n = labels.length / 2;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> labels[2 * a].compareTo(labels[2 * b]));
        labelNames = new byte[n][];
        labelValues = new byte[n][];
        for (int i = 0; i < n; i++) {
            labelNames[i] = utf8(labels[2 * order[i]]);
            labelValues[i] = utf8(labels[2 * order[i] + 1]);
        }
        this.counter = counter;
        this.otlpName = otlpName;
        this.otlpUnit = otlpUnit;
        attrKeys = new byte[attrs.length / 2][];
        attrValues = new byte[attrs.length / 2][];
        for (int i = 0; i < attrKeys.length; i++) {
            attrKeys[i] = utf8(attrs[2 * i]);
            attrValues[i] = utf8(attrs[2 * i + 1]);
        }
        this.resource = resource;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
