package tally.promql.test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tally.model.AppendException;
import tally.model.Appender;
import tally.model.Labels;
import tally.model.Storage;

/**
 * Appends a load block's float samples (sample i at i * interval) through one appender and
 * commits. Native-histogram positions are not loaded: evals that select them are skipped.
 */
final class SampleLoader {
    /** Last appended sample per series, so a repeated identical sample is dropped as Prometheus does. */
    private final Map<Labels, long[]> last = new HashMap<>();

    void clear() { last.clear(); }

    /** @return null, or a description of the samples the storage refused */
    String load(Storage storage, LoadCommand load) {
        Appender app = storage.appender();
        int refused = 0;
        String first = null;
        for (LoadCommand.Series s : load.series()) {
            long ref = 0;
            List<SeqValue> values = s.values();
            for (int i = 0; i < values.size(); i++) {
                SeqValue v = values.get(i);
                if (!v.isFloat()) continue;
                long t = i * load.intervalMs();
                long bits = Double.doubleToRawLongBits(v.value());
                long[] prev = last.get(s.labels());
                if (prev != null && prev[0] == t && prev[1] == bits) continue;
                try {
                    ref = app.append(ref, s.labels(), t, v.value());
                    last.put(s.labels(), new long[] {t, bits});
                } catch (AppendException e) { // refused: the rest of the batch still counts
                    refused++;
                    if (first == null) first = s.labels() + " t=" + t + ": " + e.getMessage();
                }
            }
        }
        app.commit();
        return refused == 0 ? null : refused + " sample(s) refused, first: " + first;
    }
}
