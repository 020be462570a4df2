package tally.storage.head;

/** A sealed chunk's bytes with its time range, waiting in the head to be written to the store. */
public record SealedChunk(byte[] bytes, long minT, long maxT) {
    /** What one costs on the heap: its bytes, the array and record headers and the list slot. */
    static long heapBytes(SealedChunk c) {
        return c.bytes.length + 64;
    }
}
