package tally.model;

import java.util.Arrays;

/** Mutable builder for {@link Labels}: set/remove in any order, then build a sorted immutable set. */
public final class LabelsBuilder {
    private String[] names = new String[8];
    private String[] values = new String[8];
    private int n;

    public LabelsBuilder() {}

    public LabelsBuilder(Labels base) {
        reset(base);
    }

    public LabelsBuilder reset(Labels base) {
        n = 0;
        for (int i = 0; i < base.size(); i++) set(base.name(i), base.value(i));
        return this;
    }

    public LabelsBuilder clear() {
        n = 0;
        return this;
    }

    /** Sets a label; an empty value removes it (Prometheus treats empty and absent alike). */
    public LabelsBuilder set(String name, String value) {
        if (value == null || value.isEmpty()) return remove(name);
        for (int i = 0; i < n; i++) {
            if (names[i].equals(name)) {
                values[i] = value;
                return this;
            }
        }
        if (n == names.length) {
            names = Arrays.copyOf(names, n * 2);
            values = Arrays.copyOf(values, n * 2);
        }
        names[n] = name;
        values[n] = value;
        n++;
        return this;
    }

    public LabelsBuilder remove(String name) {
        for (int i = 0; i < n; i++) {
            if (names[i].equals(name)) {
                n--;
                names[i] = names[n];
                values[i] = values[n];
                return this;
            }
        }
        return this;
    }

    public String get(String name) {
        for (int i = 0; i < n; i++) if (names[i].equals(name)) return values[i];
        return null;
    }

    public int size() { return n; }

    public Labels build() {
        if (n == 0) return Labels.EMPTY;
        // insertion sort: label sets are small
        String[] kv = new String[n * 2];
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        for (int i = 1; i < n; i++) {
            int cur = idx[i];
            int j = i - 1;
            while (j >= 0 && names[idx[j]].compareTo(names[cur]) > 0) {
                idx[j + 1] = idx[j];
                j--;
            }
            idx[j + 1] = cur;
        }
        for (int i = 0; i < n; i++) {
            kv[2 * i] = names[idx[i]];
            kv[2 * i + 1] = values[idx[i]];
        }
        return Labels.wrapSorted(kv);
    }
}
