package tally.storage.index;

/** Intersection: leapfrog every input to the largest current id until all agree. */
final class IntersectPostings implements PostingsIterator {
    private final PostingsIterator[] its;
    private int cur = -1;
    private boolean done;

    IntersectPostings(PostingsIterator[] its) {
        this.its = its;
    }

    @Override
    public boolean next() {
        if (done || !its[0].next()) return finish();
        return align(its[0].at());
    }

    @Override
    public boolean seek(int target) {
        if (done) return false;
        if (cur >= target) return true;
        if (!its[0].seek(target)) return finish();
        return align(its[0].at());
    }

    private boolean align(int candidate) {
        while (true) {
            boolean agreed = true;
            for (PostingsIterator it : its) {
                if (!it.seek(candidate)) return finish();
                int at = it.at();
                if (at > candidate) {
                    candidate = at;
                    agreed = false;
                    break;
                }
            }
            if (agreed) {
                cur = candidate;
                return true;
            }
        }
    }

    private boolean finish() {
        done = true;
        return false;
    }

    @Override
    public int at() { return cur; }
}
