package tally.model;

/**
 * Told of changes to stored samples once queries can see them, so that whoever keeps results computed from the
 * samples (a query result cache) can drop what became stale. Called on the writer's thread: implementations return
 * quickly and never throw.
 */
public interface WriteObserver {
    /** A commit made samples visible; the oldest of them has timestamp {@code minT} (ms). */
    void written(long minT);

    /** Samples older than {@code t} (ms) are gone (retention deleted them). */
    void removedBefore(long t);
}
