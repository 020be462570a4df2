package tally.storage.store;

import java.util.concurrent.atomic.AtomicLong;
import tally.model.QueryLimitException;

/**
 * The series all running queries may hold selected at once (each costs ~0.55 KiB of heap while its query runs:
 * labels and chunk references). A query reserves as its selections grow, through one {@link Reservation} for all
 * of its readers, and gives the room back as they close. When the room is taken the query fails at once instead
 * of waiting, so two large queries cannot wait on each other, and the process does not run out of memory answering
 * a dashboard over months of churny series. The message says whether to retry (other queries hold the room) or to
 * narrow the query (it alone needs more than this heap has).
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

    /** The room one query holds, across all of its selections. */
    public Reservation reservation() {
        return new Reservation();
    }

    public long inUse() {
        return inUse.get();
    }

    public long capacity() {
        return capacity;
    }

    /** What one query holds; its readers reserve and release through it. */
    public final class Reservation {
        private long held;

        /** One more step of room for the query. */
        synchronized void reserveStep() {
            if (held + STEP > capacity) {
                throw new QueryLimitException("the query selects more than " + capacity
                        + " series, the most this heap holds room for; narrow its range or matchers, or raise -Xmx", false);
            }
            long now = inUse.addAndGet(STEP);
            if (now > capacity) {
                inUse.addAndGet(-STEP);
                throw new QueryLimitException("running queries hold " + (now - STEP - held) + " of the " + capacity
                        + " series this heap holds room for; retry shortly", true);
            }
            held += STEP;
        }

        /** Gives back room a closing reader reserved. */
        synchronized void release(long series) {
            long n = Math.min(series, held);
            held -= n;
            inUse.addAndGet(-n);
        }
    }
}
