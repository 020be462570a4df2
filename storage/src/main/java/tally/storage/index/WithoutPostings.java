package tally.storage.index;

/** Ids of {@code full} that are absent from {@code drop}; drop is only ever seeked forward. */
final class WithoutPostings implements PostingsIterator {
    private final PostingsIterator full;
    private final PostingsIterator drop;
    private boolean dropLive = true;

    WithoutPostings(PostingsIterator full, PostingsIterator drop) {
        this.full = full;
        this.drop = drop;
    }

    @Override
    public boolean next() {
        return full.next() && skipDropped();
    }

    @Override
    public boolean seek(int target) {
        return full.seek(target) && skipDropped();
    }

    private boolean skipDropped() {
        while (true) {
            int id = full.at();
            if (dropLive) {
                dropLive = drop.seek(id);
            }
            if (!dropLive || drop.at() != id) return true;
            if (!full.next()) return false;
        }
    }

    @Override
    public int at() { return full.at(); }
}
