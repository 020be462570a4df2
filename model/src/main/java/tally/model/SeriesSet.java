package tally.model;

/** A cursor over series, sorted by labels when the caller asked for it. */
public interface SeriesSet {
    boolean next();

    Series at();

    SeriesSet EMPTY = new SeriesSet() {
        @Override public boolean next() { return false; }
        @Override public Series at() { throw new IllegalStateException("empty series set"); }
    };
}
