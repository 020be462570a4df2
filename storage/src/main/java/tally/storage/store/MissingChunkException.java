package tally.storage.store;

/**
 * A chunk the block's index lists is not in the block's files (a damaged or truncated file): its samples are lost.
 * Thrown by {@link ChunkCursor#next()} after the store counted and logged it; the cursor stays usable, its next call
 * moving on to the following chunk.
 */
public final class MissingChunkException extends RuntimeException {
    MissingChunkException(String message) {
        super(message, null, false, false);
    }
}
