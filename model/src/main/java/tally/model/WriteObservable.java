package tally.model;

/** A storage that tells {@link WriteObserver}s of every change to its samples. */
public interface WriteObservable {
    /** Adds an observer; it is told of every later commit and deletion. */
    void observeWrites(WriteObserver observer);
}
