package tally.storage.head;

/** A sealed chunk's bytes with its time range, waiting in the head to be written to the store. */
public record SealedChunk(byte[] bytes, long minT, long maxT) {}
