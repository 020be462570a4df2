package tally.bench.soak;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What happened when: every refused or unanswered request, the windows in which refusals are expected (a kill
 * until writes are acknowledged again; the disk full until writes are accepted again), and the first
 * acknowledgement per transport since a mark, which is how recovery is timed.
 */
final class Timeline {
    record Failure(long t, Transport transport, int attempt, Outcome outcome) {}

    record Window(String why, long from, long to) {}

    private final List<Failure> failures = new ArrayList<>();
    private final List<Window> windows = new ArrayList<>();
    private final Map<Transport, AtomicLong> firstAck = new EnumMap<>(Transport.class);
    private volatile long mark = Long.MAX_VALUE;
    final AtomicLong partialRequests = new AtomicLong();
    final AtomicLong partialPoints = new AtomicLong();
    final AtomicLong droppedRequests = new AtomicLong();

    Timeline() {
        for (Transport t : Transport.values()) firstAck.put(t, new AtomicLong());
    }

    synchronized void failure(Transport t, int attempt, Outcome o) {
        failures.add(new Failure(System.currentTimeMillis(), t, attempt, o));
    }

    synchronized List<Failure> failures() {
        return new ArrayList<>(failures);
    }

    synchronized void window(String why, long from, long to) {
        windows.add(new Window(why, from, to));
    }

    synchronized List<Window> windows() {
        return new ArrayList<>(windows);
    }

    /** Starts timing: {@link #firstAck} then answers the first acknowledgement per transport after now. */
    void mark(long now) {
        for (AtomicLong a : firstAck.values()) a.set(0);
        mark = now;
    }

    void acked(Transport t, long sentAt, long now) {
        if (sentAt >= mark) firstAck.get(t).compareAndSet(0, now);
    }

    long firstAck(Transport t) {
        return firstAck.get(t).get();
    }

    /** A failure no window explains: what makes the run fail. */
    boolean unexpected(Failure f) {
        for (Window w : windows()) {
            if (f.t() >= w.from() && f.t() <= w.to()) return false;
        }
        // A resend refused with a 4xx is expected: its content was stored before the answer was lost (a duplicate).
        return !(f.attempt() > 0 && f.outcome().code() >= 400 && f.outcome().code() < 500);
    }
}
