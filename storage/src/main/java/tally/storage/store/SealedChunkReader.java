package tally.storage.store;

import tally.storage.chunk.ChunkTimestamps;

/**
 * Reads chunks of sealed blocks into a reusable buffer. A chunk with external timestamps is resolved with its
 * block's timeline into a self-contained chunk, so consumers decode every chunk the same way. No allocation
 * once the buffer has grown to the largest chunk; one buffer serves both forms: the external bytes are moved
 * behind the room the resolved chunk needs, and resolving writes strictly before them.
 */
final class SealedChunkReader {
    private byte[] buf = new byte[256];
    private int length;

    /** Reads the chunk of length len at offset in g's chunk file; false when the file ends before it (damaged). */
    boolean read(Generation g, long offset, int len) {
        if (buf.length < len) buf = new byte[Math.max(len, buf.length * 2)];
        if (!g.readSealed(offset, buf, len)) return false;
        length = len;
        if (!ChunkTimestamps.isExternal(buf, 0, len)) return true;
        long[] timeline = g.timeline(ChunkTimestamps.timelineId(buf, 0));
        int room = ChunkTimestamps.resolvedMaxLength(buf, 0, len);
        if (buf.length < room + len) buf = java.util.Arrays.copyOf(buf, Math.max(room + len, buf.length * 2));
        System.arraycopy(buf, 0, buf, room, len);
        length = ChunkTimestamps.resolve(buf, room, len, timeline, buf);
        return true;
    }

    byte[] array() { return buf; }

    int length() { return length; }
}
