package tally.server.ingest;

import java.util.concurrent.Semaphore;

/** Bounds how many ingest requests run at once; beyond it clients are told to retry later. */
public final class IngestLimiter {
    private final Semaphore permits;

    public IngestLimiter(int maxInFlight) {
        this.permits = new Semaphore(maxInFlight);
    }

    public boolean tryAcquire() { return permits.tryAcquire(); }

    public void release() { permits.release(); }

    public int available() { return permits.availablePermits(); }
}
