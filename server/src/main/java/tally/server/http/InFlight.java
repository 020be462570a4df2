package tally.server.http;

/** Counts requests between body received and response written, so shutdown can wait for them. */
final class InFlight {
    private int count;

    synchronized void begin() { count++; }

    synchronized void end() {
        if (--count == 0) notifyAll();
    }

    synchronized int get() { return count; }

    /** Waits until no request is in flight or the deadline passes; true when drained. */
    synchronized boolean awaitIdle(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (count > 0) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) return false;
            wait(left);
        }
        return true;
    }
}
