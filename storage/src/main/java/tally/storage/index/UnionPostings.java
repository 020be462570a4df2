package tally.storage.index;

/** Union by a binary min-heap of inputs keyed on their current id. */
final class UnionPostings implements PostingsIterator {
    private final PostingsIterator[] heap;
    private int size;
    private boolean started;
    private int cur = -1;

    UnionPostings(PostingsIterator[] its) {
        this.heap = its;
    }

    private void init(int target, boolean useSeek) {
        int n = 0;
        for (PostingsIterator it : heap) {
            if (useSeek ? it.seek(target) : it.next()) heap[n++] = it;
        }
        size = n;
        for (int i = size / 2 - 1; i >= 0; i--) siftDown(i);
        started = true;
    }

    @Override
    public boolean next() {
        if (!started) {
            init(0, false);
        } else {
            // advance every input sitting on the current id
            while (size > 0 && heap[0].at() == cur) {
                if (heap[0].next()) siftDown(0); else removeTop();
            }
        }
        if (size == 0) return false;
        cur = heap[0].at();
        return true;
    }

    @Override
    public boolean seek(int target) {
        if (!started) {
            init(target, true);
        } else {
            if (size > 0 && cur >= target) return true;
            while (size > 0 && heap[0].at() < target) {
                if (heap[0].seek(target)) siftDown(0); else removeTop();
            }
        }
        if (size == 0) return false;
        cur = heap[0].at();
        return true;
    }

    private void removeTop() {
        heap[0] = heap[--size];
        heap[size] = null;
        if (size > 0) siftDown(0);
    }

    private void siftDown(int i) {
        PostingsIterator x = heap[i];
        int key = x.at();
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) break;
            int r = l + 1;
            int c = (r < size && heap[r].at() < heap[l].at()) ? r : l;
            if (heap[c].at() >= key) break;
            heap[i] = heap[c];
            i = c;
        }
        heap[i] = x;
    }

    @Override
    public int at() { return cur; }
}
