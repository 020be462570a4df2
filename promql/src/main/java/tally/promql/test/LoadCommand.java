package tally.promql.test;

import java.util.List;
import tally.model.Labels;

/**
 * {@code load <interval>} (or {@code load_with_nhcb}): sample i of every series is at i * interval.
 * A later line for the same labels replaces an earlier one, so {@link #series} holds one entry per label set.
 */
public record LoadCommand(int line, long intervalMs, boolean withNhcb, List<Series> series) implements Command {
    public LoadCommand {
        series = List.copyOf(series);
    }

    /** One series line; {@code startTimestamps} when an {@code @st} line gave it per-sample start times. */
    public record Series(int line, Labels labels, List<SeqValue> values, boolean startTimestamps) {
        public Series {
            values = List.copyOf(values);
        }

        public boolean hasHistogram() {
            for (SeqValue v : values) if (v.kind() == SeqValue.Kind.HISTOGRAM) return true;
            return false;
        }
    }
}
