package tally.storage.store;

import java.util.concurrent.atomic.AtomicLong;
import tally.model.QueryLimitException;

/**
 * The series all running queries may hold selected at once (each costs ~0.5 KiB of heap while its query runs:
 * labels and chunk references). A reader reserves as its selection grows and releases at close. When the room is
 * taken a query fails at once instead of waiting, so two large queries cannot wait on each other, and the process
 * does not run out of memory answering a dashboard over months of churny series: the message says whether to
 * retry (others hold the room) or to narrow the query (it alone is too large for this heap).
 */
public final class QuerySeriesBudget {
    /** Series reserved at a time: selections grow in steps, not per series. */
    static final int STEP = 4096;

    private final long capacity;
    private final AtomicLong inUse = new AtomicLong();

    public QuerySeriesBudget(long capacity) {
        if (capacity < STEP) throw new IllegalArgumentException("query series budget must be at least " + STEP);
        this.capacity = capacity;
    }

    /** Room for one more step of a reader that holds {@code held} series already; returns the new holding. */
    long reserveStep(long held) {
        if (held + STEP > capacity) {
            throw new QueryLimitException("the query selects more than " + capacity
                    + " series, the most this heap holds room for; narrow its range or matchers, or raise -Xmx", false);
        }
        long now = inUse.addAndGet(STEP);
        if (now > capacity) {
            inUse.addAndGet(-STEP);
            throw new QueryLimitException("running queries hold " + (now - STEP) + " of the " + capacity
                    + " series this heap holds room for; retry shortly", true);
        }
        return held + STEP;
    }

    void release(long held) {
        if (held > 0) inUse.addAndGet(-held);
    }

    public long inUse() {
        return inUse.get();
    }

    public long capacity() {
        return capacity;
    }
}
