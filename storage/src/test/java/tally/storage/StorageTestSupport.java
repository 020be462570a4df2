package tally.storage;

import java.util.ArrayList;
import java.util.List;
import tally.model.Labels;
import tally.model.Matcher;
import tally.model.Querier;
import tally.model.SampleIterator;
import tally.model.SelectHints;
import tally.model.Series;
import tally.model.SeriesSet;
import tally.model.Storage;

/** Reading helpers for storage tests. */
final class StorageTestSupport {
    private StorageTestSupport() {}

    record Sample(long t, double v) {}

    record Read(Labels labels, List<Sample> samples) {}

    static List<Read> readAll(Storage s, long mint, long maxt, Matcher... matchers) {
        List<Read> out = new ArrayList<>();
        try (Querier q = s.querier(mint, maxt)) {
            SeriesSet set = q.select(true, SelectHints.range(mint, maxt), List.of(matchers));
            SampleIterator reuse = null;
            while (set.next()) {
                Series series = set.at();
                SampleIterator it = series.iterator(reuse);
                reuse = it;
                List<Sample> samples = new ArrayList<>();
                while (it.next()) samples.add(new Sample(it.atT(), it.atV()));
                out.add(new Read(series.labels(), samples));
            }
        }
        return out;
    }

    static List<Sample> readOne(Storage s, Labels labels) {
        List<Matcher> ms = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) ms.add(Matcher.equal(labels.name(i), labels.value(i)));
        for (Read r : readAll(s, Long.MIN_VALUE, Long.MAX_VALUE, ms.toArray(new Matcher[0]))) {
            if (r.labels().equals(labels)) return r.samples();
        }
        return List.of();
    }
}
