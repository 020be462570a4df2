package tally.storage.store;

import tally.storage.chunk.ChunkTimestamps;

/**
 * Reads chunks of sealed blocks into reusable buffers. A chunk with external timestamps is resolved with its
 * block's timeline into a self-contained chunk, so consumers decode every chunk the same way. No allocation
 * once the buffers have grown to the largest chunk.
 */
final class SealedChunkReader {
    private byte[] raw = new byte[256];
    private byte[] resolved = new byte[0];
    private byte[] array;
    private int length;

    /** Reads the chunk of length len at offset in g's chunk file. */
    void read(Generation g, long offset, int len) {
        if (raw.length < len) raw = new byte[Math.max(len, raw.length * 2)];
        g.readSealed(offset, raw, len);
        if (!ChunkTimestamps.isExternal(raw, 0, len)) {
            array = raw;
            length = len;
            return;
        }
        long[] timeline = g.timeline(ChunkTimestamps.timelineId(raw, 0));
        int max = ChunkTimestamps.resolvedMaxLength(raw, 0, len);
        if (resolved.length < max) resolved = new byte[Math.max(max, resolved.length * 2)];
        length = ChunkTimestamps.resolve(raw, 0, len, timeline, resolved);
        array = resolved;
    }

    byte[] array() { return array; }

    int length() { return length; }
}
