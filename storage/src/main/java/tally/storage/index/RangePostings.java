package tally.storage.index;

/** Every id in [from, to): the "all series" postings of a block with dense ids. */
final class RangePostings implements PostingsIterator {
    private final int from;
    private final int to;
    private int cur;

    RangePostings(int from, int to) {
        this.from = from;
        this.cur = from - 1;
        this.to = to;
    }

    @Override
    public boolean next() {
        if (cur < to) cur++;
        return cur < to;
    }

    @Override
    public boolean seek(int target) {
        cur = Math.max(cur, Math.max(target, from));
        return cur < to;
    }

    @Override
    public int at() { return cur; }
}
