package tally.promql.test;

import java.util.List;
import tally.model.Labels;

/** A parsed {@code <series> <values>} line of a load block or an expected result. */
public record SeriesLine(Labels labels, List<SeqValue> values) {
    public SeriesLine {
        values = List.copyOf(values);
    }

    public boolean hasHistogram() {
        for (SeqValue v : values) if (v.kind() == SeqValue.Kind.HISTOGRAM) return true;
        return false;
    }
}
