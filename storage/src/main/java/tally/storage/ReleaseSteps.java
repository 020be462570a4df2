package tally.storage;

import java.io.IOException;
import tally.model.Fatal;

/**
 * Runs the steps that release the storage (closing it, or undoing an open that failed part-way) in order, each one
 * whatever happened to the steps before it: one failure must not leave the directory lock held, the WAL open or the
 * maps unsynced. Every failure is logged; the first is thrown by {@link #finish}, with the later ones suppressed.
 *
 * <p>Interrupts: the caller's interrupt flag is cleared while the steps run and restored by {@link #finish}. With the
 * flag set, waiting for the background threads would end at once, and NIO would close the WAL's and the maps' file
 * channels at their next read or write (ClosedByInterruptException) instead of completing it.
 */
final class ReleaseSteps {
    private static final System.Logger LOG = System.getLogger(ReleaseSteps.class.getName());

    /** One step; may throw anything. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private final String what;
    private boolean interrupted = Thread.interrupted();
    private IOException failure;

    /** {@code what}: the whole, for messages ("closing storage in /data"). */
    ReleaseSteps(String what) {
        this.what = what;
    }

    /** Runs one step; returns whether it succeeded. */
    boolean run(String step, Step action) {
        try {
            action.run();
            return true;
        } catch (Throwable e) {
            Fatal.exitOnOutOfMemory(e);
            if (e instanceof InterruptedException) interrupted = true; // cut short: a failure, and the flag comes back
            LOG.log(System.Logger.Level.ERROR, what + ": " + step + " failed; the other steps go on", e);
            if (failure == null) failure = new IOException(what + ": " + step + " failed: " + e, e);
            else failure.addSuppressed(e);
            return false;
        } finally {
            // an interrupt that arrived during the step must not break the next step's I/O
            if (Thread.interrupted()) interrupted = true;
        }
    }

    /** Whether a step failed so far. */
    boolean failed() {
        return failure != null;
    }

    /** Restores the interrupt flag, then throws the first failure, if any. */
    void finish() throws IOException {
        if (interrupted) Thread.currentThread().interrupt();
        if (failure != null) throw failure;
    }

    /** Restores the interrupt flag and adds every failure to {@code cause} (undoing a failed open: its cause is the news). */
    void finishInto(Throwable cause) {
        if (interrupted) Thread.currentThread().interrupt();
        if (failure != null && failure != cause) cause.addSuppressed(failure);
    }
}
