package tally.server.otlp;

import io.opentelemetry.proto.common.v1.KeyValue;

import java.util.Arrays;
import java.util.List;

/** Reusable list of attributes already rendered as label strings (key, value), as decoders hand them to the translator. */
public final class AttrList {
    private String[] keys = new String[16];
    private String[] values = new String[16];
    private int n;

    public void clear() { n = 0; }

    public void add(String key, String value) {
        if (n == keys.length) {
            keys = Arrays.copyOf(keys, n * 2);
            values = Arrays.copyOf(values, n * 2);
        }
        keys[n] = key;
        values[n] = value;
        n++;
    }

    /** Adds parsed OTLP attributes, values rendered as label strings ({@link AttributeValues#toLabelValue}). */
    public AttrList addAll(List<KeyValue> kvs) {
        for (KeyValue kv : kvs) add(kv.getKey(), AttributeValues.toLabelValue(kv.getValue()));
        return this;
    }

    public int size() { return n; }
    public String key(int i) { return keys[i]; }
    public String value(int i) { return values[i]; }

    /** Stable sort by key (Prometheus joins colliding values in sorted key order); insertion sort: lists are short. */
    public void sortByKey() {
        for (int i = 1; i < n; i++) {
            String k = keys[i], v = values[i];
            int j = i - 1;
            while (j >= 0 && keys[j].compareTo(k) > 0) {
                keys[j + 1] = keys[j];
                values[j + 1] = values[j];
                j--;
            }
            keys[j + 1] = k;
            values[j + 1] = v;
        }
    }

    public AttrList copy() {
        AttrList c = new AttrList();
        for (int i = 0; i < n; i++) c.add(keys[i], values[i]);
        return c;
    }
}
