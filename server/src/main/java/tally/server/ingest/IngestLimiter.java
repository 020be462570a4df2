package tally.server.ingest;

import java.util.concurrent.Semaphore;
import tally.model.Appendable;
import tally.model.Overload;
import tally.server.metrics.ServerMetrics;

/**
 * Decides, before a request body is decoded, whether ingest takes it now: at most {@code maxInFlight} requests
 * at once, and none while the storage is overloaded (it is catching up and would need memory it does not have).
 * A refused request costs nothing and the sender is told when to retry; nothing already accepted is at risk.
 */
public final class IngestLimiter {
    /** Why a request must wait; {@code inFlight} tells the protocols' two kinds of overload apart. */
    public record Refusal(boolean inFlight, String message, int retryAfterSeconds) {
        public String retryAfter() {
            return Integer.toString(retryAfterSeconds);
        }
    }

    private static final Refusal TOO_MANY = new Refusal(true, "too many ingest requests in flight, retry later", 1);

    private final Semaphore permits;
    private final Appendable storage;
    private final ServerMetrics metrics;

    public IngestLimiter(int maxInFlight, Appendable storage, ServerMetrics metrics) {
        this.permits = new Semaphore(maxInFlight);
        this.storage = storage;
        this.metrics = metrics;
    }

    /** Null when the request may go ahead (then {@link #release} it when done), else why it must wait. */
    public Refusal tryAdmit(String protocol) {
        Overload o = storage.overload();
        if (o != null) {
            metrics.requestsThrottled.labels(protocol, "storage").inc();
            return new Refusal(false, "storage is catching up, retry later: " + o.reason(), o.retryAfterSeconds());
        }
        if (!permits.tryAcquire()) {
            metrics.requestsThrottled.labels(protocol, "in_flight").inc();
            return TOO_MANY;
        }
        return null;
    }

    public void release() { permits.release(); }

    public int available() { return permits.availablePermits(); }
}
