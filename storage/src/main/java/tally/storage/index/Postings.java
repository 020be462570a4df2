package tally.storage.index;

import java.util.ArrayList;
import java.util.List;

/** Factory and algebra for {@link PostingsIterator}s: intersect, union and subtract by seeking. */
public final class Postings {
    private Postings() {}

    public static final PostingsIterator EMPTY = new PostingsIterator() {
        @Override public boolean next() { return false; }
        @Override public boolean seek(int target) { return false; }
        @Override public int at() { throw new IllegalStateException("empty postings"); }
    };

    /** Ids of a sorted array prefix a[0..n). */
    public static PostingsIterator of(int[] a, int n) {
        return n == 0 ? EMPTY : new ArrayPostings(a, n);
    }

    public static PostingsIterator of(int... a) { return of(a, a.length); }

    /** All ids in [from, to). */
    public static PostingsIterator range(int from, int to) {
        return from >= to ? EMPTY : new RangePostings(from, to);
    }

    /** Ids present in every input. */
    public static PostingsIterator intersect(List<PostingsIterator> its) {
        if (its.isEmpty()) return EMPTY;
        for (PostingsIterator it : its) if (it == EMPTY) return EMPTY;
        return its.size() == 1 ? its.get(0) : new IntersectPostings(its.toArray(new PostingsIterator[0]));
    }

    /** Ids present in any input. */
    public static PostingsIterator union(List<PostingsIterator> its) {
        List<PostingsIterator> nonEmpty = new ArrayList<>(its.size());
        for (PostingsIterator it : its) if (it != EMPTY) nonEmpty.add(it);
        if (nonEmpty.isEmpty()) return EMPTY;
        return nonEmpty.size() == 1 ? nonEmpty.get(0) : new UnionPostings(nonEmpty.toArray(new PostingsIterator[0]));
    }

    /** Ids of {@code full} not in {@code drop}. */
    public static PostingsIterator without(PostingsIterator full, PostingsIterator drop) {
        if (full == EMPTY || drop == EMPTY) return full;
        return new WithoutPostings(full, drop);
    }

    /** Drains an iterator into an array (for tests and small lists). */
    public static int[] toArray(PostingsIterator it) {
        IntList out = new IntList();
        while (it.next()) out.add(it.at());
        return out.toArray();
    }
}
