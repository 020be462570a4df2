package tally.server.otlp.delta;

import tally.model.Labels;
import tally.model.Matcher;
import tally.model.Querier;
import tally.model.Queryable;
import tally.model.SampleIterator;
import tally.model.SeriesSet;
import tally.model.StaleNaN;

import java.util.ArrayList;
import java.util.List;

/** Reads a series' last sample back from storage through the ordinary query interface. */
public final class StorageHistory implements SeriesHistory {
    private final Queryable storage;

    public StorageHistory(Queryable storage) { this.storage = storage; }

    @Override
    public LastSample last(Labels series, long mint, long maxt) {
        List<Matcher> matchers = new ArrayList<>(series.size());
        for (int i = 0; i < series.size(); i++) matchers.add(Matcher.equal(series.name(i), series.value(i)));
        try (Querier q = storage.querier(mint, maxt)) {
            SeriesSet set = q.select(false, null, matchers);
            while (set.next()) {
                if (!set.at().labels().equals(series)) continue; // equality matchers also match supersets
                SampleIterator it = set.at().iterator(null);
                long t = Long.MIN_VALUE;
                double v = Double.NaN;
                while (it.next()) {
                    t = it.atT();
                    if (!StaleNaN.is(it.atV())) v = it.atV();
                }
                return t == Long.MIN_VALUE ? null : new LastSample(t, v);
            }
            return null;
        }
    }
}
