package tally.storage.index;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tally.model.MatchType;
import tally.model.Matcher;

/**
 * Series of one block matching all matchers, with Prometheus's semantics (a missing label is "").
 * A matcher that rejects "" selects the union of the postings of the values it accepts. A matcher that
 * accepts "" also selects series without the label, so it is applied by subtraction: drop the series
 * whose value it rejects. With no matcher of the first kind the start is every series of the block.
 */
public final class MatcherPostings {
    private MatcherPostings() {}

    public static PostingsIterator select(BlockIndex index, List<Matcher> matchers) {
        List<PostingsIterator> keep = new ArrayList<>();
        List<PostingsIterator> drop = new ArrayList<>();
        for (Matcher m : matchers) {
            if (m.matchesEverything()) continue; // drops nothing: no need to test each value of its label
            if (!m.matchesEmpty()) {
                PostingsIterator it = accepted(index, m);
                if (it == Postings.EMPTY) return Postings.EMPTY;
                keep.add(it);
            } else {
                PostingsIterator it = rejected(index, m);
                if (it != Postings.EMPTY) drop.add(it);
            }
        }
        PostingsIterator base = keep.isEmpty() ? Postings.range(0, index.seriesCount()) : Postings.intersect(keep);
        return drop.isEmpty() ? base : Postings.without(base, Postings.union(drop));
    }

    /** Series whose value of m's label is accepted by m (m rejects "", so absent labels are excluded). */
    private static PostingsIterator accepted(BlockIndex index, Matcher m) {
        Set<String> set = m.setMatches();
        if (set != null) {
            if (set.size() == 1) return index.postings(m.name(), set.iterator().next());
            List<PostingsIterator> its = new ArrayList<>(set.size());
            for (String v : set) its.add(index.postings(m.name(), v));
            return Postings.union(its);
        }
        return index.postingsMatching(m.name(), m::matches);
    }

    /** Series that have m's label with a value m rejects. */
    private static PostingsIterator rejected(BlockIndex index, Matcher m) {
        if (m.type() == MatchType.NOT_EQUAL) return index.postings(m.name(), m.value());
        return index.postingsMatching(m.name(), v -> !m.matches(v));
    }
}
