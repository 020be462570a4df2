package tally.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import tally.model.Fatal;

/**
 * Background work of the storage on one thread (a "lane"): each pass runs the tasks that are due, in the order
 * they were added. The thread wakes every second, and at once when asked ({@link #wake}). The storage runs two
 * lanes, so that retiring idle series (short, in step with the data) never waits behind a checkpoint or a seal.
 *
 * <p>Failures are loud and survivable: a task that throws is logged with its cause, counted (on /metrics), and
 * retried after a back-off (1 s, doubling to a minute) while the other tasks keep running. An OutOfMemoryError
 * ends the process ({@link Fatal}): a restart replays the WAL, where a JVM carrying on would be stuck.
 */
final class StorageMaintenance {
    private static final System.Logger LOG = System.getLogger(StorageMaintenance.class.getName());
    private static final long MAX_BACKOFF_MILLIS = 60_000;

    /** A task's work; may throw anything. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    private static final class Task {
        final String name;
        final BooleanSupplier due;
        final Action action;
        volatile long runs;
        volatile long failures;
        volatile long lastSuccessMillis;
        volatile String lastError;
        int consecutiveFailures;
        long retryAtMillis;

        Task(String name, BooleanSupplier due, Action action) {
            this.name = name;
            this.due = due;
            this.action = action;
        }
    }

    private final List<Task> tasks = new ArrayList<>();
    private final String threadName;
    private final Runnable everyPass;
    private final Object signal = new Object();
    private volatile boolean woken;
    private volatile boolean stopping;
    private Thread thread;

    /** {@code everyPass} runs at the start of each pass (cheap checks that are not tasks of their own). */
    StorageMaintenance(String threadName, Runnable everyPass) {
        this.threadName = threadName;
        this.everyPass = everyPass;
    }

    /** Adds a task (before {@link #start}); {@code due} is asked on every pass. */
    StorageMaintenance add(String name, BooleanSupplier due, Action action) {
        tasks.add(new Task(name, due, action));
        return this;
    }

    void start() {
        thread = new Thread(this::loop, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs a pass now instead of within the second. Cheap: commits call it whenever the head has work. */
    void wake() {
        if (woken) return;
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    List<TaskStats> stats() {
        List<TaskStats> out = new ArrayList<>(tasks.size());
        for (Task t : tasks) out.add(new TaskStats(t.name, t.runs, t.failures, t.lastSuccessMillis, t.lastError));
        return out;
    }

    /**
     * Stops after the task running now, waiting up to {@code millis} for it; returns whether the thread ended. An
     * interrupt does not cut the wait short (a close must not go on while a flush still writes): it is kept and
     * the flag restored on return.
     */
    boolean stop(long millis) {
        stopping = true;
        synchronized (signal) {
            signal.notifyAll();
        }
        if (thread == null) return true;
        boolean interrupted = false;
        long deadline = System.nanoTime() + millis * 1_000_000;
        try {
            for (long left = millis; thread.isAlive() && left > 0; left = (deadline - System.nanoTime()) / 1_000_000) {
                try {
                    thread.join(left);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    private void loop() {
        while (!stopping) {
            synchronized (signal) {
                if (!woken && !stopping) {
                    try {
                        signal.wait(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                woken = false;
            }
            try {
                everyPass.run();
            } catch (Throwable e) {
                Fatal.exitOnOutOfMemory(e);
                LOG.log(System.Logger.Level.WARNING, "storage maintenance check failed", e);
            }
            for (Task t : tasks) {
                if (stopping) return;
                runIfDue(t);
            }
        }
    }

    private void runIfDue(Task t) {
        long now = System.currentTimeMillis();
        if (now < t.retryAtMillis) return;
        try {
            if (!t.due.getAsBoolean()) return;
            t.action.run();
            t.runs++;
            t.lastSuccessMillis = System.currentTimeMillis();
            if (t.consecutiveFailures > 0) {
                LOG.log(System.Logger.Level.INFO, "storage task " + t.name + " succeeded again after "
                        + t.consecutiveFailures + " failure(s)");
            }
            t.consecutiveFailures = 0;
        } catch (Throwable e) {
            Fatal.exitOnOutOfMemory(e);
            t.runs++;
            t.failures++;
            t.consecutiveFailures++;
            t.lastError = e.toString();
            long backoff = Math.min(MAX_BACKOFF_MILLIS, 1000L << Math.min(16, t.consecutiveFailures - 1));
            t.retryAtMillis = System.currentTimeMillis() + backoff;
            LOG.log(System.Logger.Level.ERROR, "storage task " + t.name + " failed (" + e + "); retrying in "
                    + backoff + " ms, other tasks go on", e);
        }
    }
}
