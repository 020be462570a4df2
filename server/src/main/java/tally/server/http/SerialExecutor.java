package tally.server.http;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * Runs tasks one at a time, in submission order, on a shared pool. One per connection, so pipelined
 * HTTP/1.1 requests are answered in order while different connections run in parallel.
 */
final class SerialExecutor implements Executor {
    private final Executor pool;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean running;

    SerialExecutor(Executor pool) { this.pool = pool; }

    /** @throws java.util.concurrent.RejectedExecutionException when the pool refuses the first task of a run */
    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            queue.add(task);
            if (running) return;
            running = true;
        }
        try {
            pool.execute(this::drain);
        } catch (RuntimeException e) {
            synchronized (this) {
                queue.remove(task);
                running = false;
            }
            throw e;
        }
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = queue.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            next.run();
        }
    }
}
