package tally.model;

/**
 * What Tally does with an {@link OutOfMemoryError}: the process ends at once, with one clear line on stderr, so
 * that a supervisor restarts it and the WAL replay recovers every acknowledged sample. A JVM that caught one and
 * carried on would be alive but stuck (threads died half-way, locks and checkpoints abandoned). The launcher also
 * passes {@code -XX:+ExitOnOutOfMemoryError}; this covers {@code java -jar} and errors that code catches.
 */
public final class Fatal {
    /** Preallocated: after an OutOfMemoryError, building the message could fail too. */
    private static final String MESSAGE =
            "level=error msg=\"out of memory: exiting now so that a restart replays the WAL (raise -Xmx with TALLY_JAVA_OPTS if it recurs)\"";
    /** Exit status of a process ended this way (as java's own -XX:+ExitOnOutOfMemoryError: 3). */
    public static final int EXIT_STATUS = 3;

    private Fatal() {}

    /** Ends the process when t is, or was caused by, an OutOfMemoryError; otherwise returns. */
    public static void exitOnOutOfMemory(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof OutOfMemoryError) {
                System.err.println(MESSAGE);
                System.err.flush();
                Runtime.getRuntime().halt(EXIT_STATUS);
            }
            if (c.getCause() == c) break;
        }
    }

    /** Makes every thread that dies of an uncaught OutOfMemoryError end the process (call once at start-up). */
    public static void installUncaughtHandler() {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            exitOnOutOfMemory(e);
            if (previous != null) {
                previous.uncaughtException(thread, e);
            } else {
                System.err.print("Exception in thread \"" + thread.getName() + "\" ");
                e.printStackTrace();
            }
        });
    }
}
