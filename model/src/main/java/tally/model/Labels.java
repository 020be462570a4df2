package tally.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * An immutable label set, sorted by name, names unique. Stored as one flat array
 * {@code [n0, v0, n1, v1, ...]} so a series costs one object plus its strings.
 * The metric name is the label {@code __name__}.
 */
public final class Labels implements Comparable<Labels> {
    public static final String METRIC_NAME = "__name__";
    public static final Labels EMPTY = new Labels(new String[0]);

    private final String[] kv;
    private int hash; // cached, 0 = not computed

    private Labels(String[] sortedKv) {
        this.kv = sortedKv;
    }

    /** Builds from alternating names and values, in any order; later duplicates win; empty values drop the label. */
    public static Labels of(String... nameValues) {
        if (nameValues.length % 2 != 0) throw new IllegalArgumentException("odd number of name/value strings");
        LabelsBuilder b = new LabelsBuilder();
        for (int i = 0; i < nameValues.length; i += 2) b.set(nameValues[i], nameValues[i + 1]);
        return b.build();
    }

    public static Labels fromMap(Map<String, String> map) {
        LabelsBuilder b = new LabelsBuilder();
        map.forEach(b::set);
        return b.build();
    }

    /** Wraps an array that is already sorted by name with unique names and no empty values. Not checked. */
    public static Labels wrapSorted(String[] sortedKv) {
        return sortedKv.length == 0 ? EMPTY : new Labels(sortedKv);
    }

    public int size() { return kv.length >> 1; }
    public boolean isEmpty() { return kv.length == 0; }
    public String name(int i) { return kv[i << 1]; }
    public String value(int i) { return kv[(i << 1) + 1]; }

    /** The value of a label, or {@code null} when absent. */
    public String get(String name) {
        int i = indexOf(name);
        return i < 0 ? null : kv[(i << 1) + 1];
    }

    /** The value of a label, or "" when absent (how PromQL treats missing labels). */
    public String getOrEmpty(String name) {
        String v = get(name);
        return v == null ? "" : v;
    }

    public boolean has(String name) { return get(name) != null; }

    public String metricName() { return get(METRIC_NAME); }

    public LabelsBuilder toBuilder() { return new LabelsBuilder(this); }

    public Labels withoutMetricName() {
        // Hot in evaluation (every rate/arithmetic result series): cut the pair out of the sorted array directly.
        int i = indexOf(METRIC_NAME);
        if (i < 0) return this;
        if (kv.length == 2) return EMPTY;
        String[] out = new String[kv.length - 2];
        System.arraycopy(kv, 0, out, 0, i << 1);
        System.arraycopy(kv, (i << 1) + 2, out, i << 1, kv.length - (i << 1) - 2);
        return new Labels(out);
    }

    private int indexOf(String name) {
        int lo = 0, hi = size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = kv[mid << 1].compareTo(name);
            if (c == 0) return mid;
            if (c < 0) lo = mid + 1; else hi = mid - 1;
        }
        return -1;
    }

    /** Only the named labels. */
    public Labels keep(Collection<String> names) {
        LabelsBuilder b = new LabelsBuilder();
        for (int i = 0; i < size(); i++) if (names.contains(name(i))) b.set(name(i), value(i));
        return b.build();
    }

    /** All labels except the named ones. */
    public Labels drop(Collection<String> names) {
        LabelsBuilder b = new LabelsBuilder();
        for (int i = 0; i < size(); i++) if (!names.contains(name(i))) b.set(name(i), value(i));
        return b.build();
    }

    /** The labels as a map in name order. */
    public Map<String, String> toMap() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < size(); i++) m.put(name(i), value(i));
        return m;
    }

    public List<Label> toList() {
        List<Label> out = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) out.add(new Label(name(i), value(i)));
        return out;
    }

    /** Stable 64-bit hash of names and values (same in every JVM run: safe to persist). */
    public long hash64() {
        long h = 0x9E3779B97F4A7C15L;
        for (String s : kv) {
            for (int i = 0, n = s.length(); i < n; i++) {
                h ^= s.charAt(i);
                h *= 0x100000001B3L;
            }
            h ^= 0xFF; // separator: ("ab","c") != ("a","bc")
            h *= 0x100000001B3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            long l = hash64();
            h = (int) (l ^ (l >>> 32));
            if (h == 0) h = 1;
            hash = h;
        }
        return h;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof Labels other)) return false;
        if (hash != 0 && other.hash != 0 && hash != other.hash) return false;
        return Arrays.equals(kv, other.kv);
    }

    /** Prometheus's order: label by label (name, then value); a prefix sorts first. */
    @Override
    public int compareTo(Labels o) {
        int n = Math.min(kv.length, o.kv.length);
        for (int i = 0; i < n; i++) {
            int c = kv[i].compareTo(o.kv[i]);
            if (c != 0) return c;
        }
        return Integer.compare(kv.length, o.kv.length);
    }

    /** Prometheus's text form: {@code name{a="b", c="d"}}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        String name = metricName();
        boolean plainName = name != null && LabelNames.isLegacyMetricName(name);
        if (plainName) sb.append(name);
        sb.append('{');
        boolean first = true;
        if (name != null && !plainName) {
            LabelNames.quote(sb, name);
            first = false;
        }
        for (int i = 0; i < size(); i++) {
            if (name(i).equals(METRIC_NAME)) continue;
            if (!first) sb.append(", ");
            first = false;
            if (LabelNames.isLegacyLabelName(name(i))) sb.append(name(i)); else LabelNames.quote(sb, name(i));
            sb.append('=');
            LabelNames.quote(sb, value(i));
        }
        sb.append('}');
        return sb.toString();
    }
}
