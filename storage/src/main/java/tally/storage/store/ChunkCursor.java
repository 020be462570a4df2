package tally.storage.store;

/** Iterates persisted chunks. The bytes may live in a buffer that is reused: valid until next(). */
public interface ChunkCursor {
    boolean next();

    byte[] array();

    int offset();

    int length();

    long minT();

    long maxT();
}
