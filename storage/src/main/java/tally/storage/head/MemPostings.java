package tally.storage.head;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tally.model.Labels;

/**
 * The head's inverted index: label name -> value -> series. Only live head series are here, so it
 * stays small under churn (series leave when they go idle and are flushed).
 */
final class MemPostings {
    private final Map<String, Map<String, SeriesList>> byName = new ConcurrentHashMap<>();
    private final SeriesList all = new SeriesList(null);

    void add(MemSeries s) {
        all.add(s, s.postingSlots.length - 1);
        Labels l = s.labels;
        for (int i = 0; i < l.size(); i++) {
            final String name = l.name(i);
            while (true) {
                SeriesList list = byName.computeIfAbsent(name, k -> new ConcurrentHashMap<>())
                        .computeIfAbsent(l.value(i), k -> new SeriesList(name));
                if (list.add(s, i)) break; // else it was retired concurrently: look it up again
            }
        }
    }

    void remove(MemSeries s) {
        all.remove(s, s.postingSlots.length - 1);
        Labels l = s.labels;
        for (int i = 0; i < l.size(); i++) {
            Map<String, SeriesList> values = byName.get(l.name(i));
            if (values == null) continue;
            SeriesList list = values.get(l.value(i));
            if (list != null && list.removeAndRetireIfEmpty(s, i)) values.remove(l.value(i), list);
        }
    }

    /** Series with this label value; an empty array when none. */
    MemSeries[] get(String name, String value) {
        Map<String, SeriesList> values = byName.get(name);
        if (values == null) return SeriesList.NONE;
        SeriesList list = values.get(value);
        return list == null ? SeriesList.NONE : list.snapshot();
    }

    int count(String name, String value) {
        Map<String, SeriesList> values = byName.get(name);
        if (values == null) return 0;
        SeriesList list = values.get(value);
        return list == null ? 0 : list.size();
    }

    /** Values of a label name present in the head (unsorted). */
    List<String> values(String name) {
        Map<String, SeriesList> values = byName.get(name);
        return values == null ? List.of() : new ArrayList<>(values.keySet());
    }

    List<String> names() {
        return new ArrayList<>(byName.keySet());
    }

    MemSeries[] all() {
        return all.snapshot();
    }

    int allCount() {
        return all.size();
    }

    /**
     * A set of series kept as an array with O(1) removal: each series remembers its slot in every
     * list it is on ({@link MemSeries#postingSlots}, indexed by label position; the last entry is
     * the all-series list). Removal moves the last element into the hole.
     */
    static final class SeriesList {
        static final MemSeries[] NONE = new MemSeries[0];
        /** The label name of this list, null for the all-series list. */
        private final String labelName;
        private MemSeries[] items = new MemSeries[2];
        private int size;
        private boolean retired;

        SeriesList(String labelName) {
            this.labelName = labelName;
        }

        /**
         * Where this list's slot is in another series of the list: the position of its label there. Series of one
         * metric nearly always have the label at the same position as {@code hint} (the caller's series), and
         * label names are mostly the same String instance; otherwise a binary search over the names.
         */
        private int slotIndex(MemSeries s, int hint) {
            if (labelName == null) return s.postingSlots.length - 1;
            Labels l = s.labels;
            if (hint < l.size() && (l.name(hint) == labelName || l.name(hint).equals(labelName))) return hint;
            int lo = 0, hi = l.size() - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                int c = l.name(mid).compareTo(labelName);
                if (c == 0) return mid;
                if (c < 0) lo = mid + 1; else hi = mid - 1;
            }
            throw new IllegalStateException("series " + l + " has no label " + labelName);
        }

        /**
         * Adds s, whose slot for this list is {@code slot} (its label's position; the last one for the all-series
         * list). False when the list was retired (emptied and unlinked); the caller retries with a fresh one.
         */
        synchronized boolean add(MemSeries s, int slot) {
            if (retired) return false;
            if (size == items.length) items = Arrays.copyOf(items, size * 2);
            s.postingSlots[slot] = size;
            items[size++] = s;
            return true;
        }

        synchronized void remove(MemSeries s, int slot) {
            removeLocked(s, slot);
        }

        /** Removes s; when the list becomes empty it is retired and true is returned. */
        synchronized boolean removeAndRetireIfEmpty(MemSeries s, int slot) {
            removeLocked(s, slot);
            if (size == 0) retired = true;
            return retired;
        }

        private void removeLocked(MemSeries s, int slot) {
            int i = s.postingSlots[slot];
            if (i < 0 || i >= size || items[i] != s) return;
            MemSeries last = items[--size];
            items[i] = last;
            last.postingSlots[slotIndex(last, slot)] = i;
            items[size] = null;
            s.postingSlots[slot] = -1;
            if (size < items.length / 4 && items.length > 8) items = Arrays.copyOf(items, items.length / 2);
        }

        synchronized int size() {
            return size;
        }

        synchronized MemSeries[] snapshot() {
            return size == 0 ? NONE : Arrays.copyOf(items, size);
        }
    }
}
