package tally.storage.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import tally.storage.chunk.ChunkTimestamps;

/**
 * The shared timelines of one sealed block ({@code timelines.bin}): {@code "TLN1"}, uvarint count, then per
 * timeline a uvarint length and the timeline encoded by {@link ChunkTimestamps#encodeTimeline}. Timelines are
 * decoded on first use and kept as {@code long[]} (readers resolve external chunks from them without
 * allocating); the owner holds the whole object softly, so idle blocks cost no heap.
 */
final class BlockTimelines {
    static final String FILE = "timelines.bin";
    private static final byte[] MAGIC = {'T', 'L', 'N', '1'};

    private final byte[] bytes;
    private final int[] offset;
    private final int[] length;
    private final AtomicReferenceArray<long[]> decoded;

    private BlockTimelines(byte[] bytes, int[] offset, int[] length) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
        this.decoded = new AtomicReferenceArray<>(offset.length);
    }

    static BlockTimelines read(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        for (int i = 0; i < MAGIC.length; i++) {
            if (b.length < MAGIC.length || b[i] != MAGIC[i]) throw new IOException("not a timelines file: " + file);
        }
        int[] pos = {MAGIC.length};
        int count = (int) uvarint(b, pos);
        int[] off = new int[count];
        int[] len = new int[count];
        for (int i = 0; i < count; i++) {
            len[i] = (int) uvarint(b, pos);
            off[i] = pos[0];
            pos[0] += len[i];
            if (pos[0] > b.length || len[i] < 0) throw new IOException("truncated timelines file: " + file);
        }
        return new BlockTimelines(b, off, len);
    }

    /** Writes the timelines to a temp file, fsyncs it and renames it into place. */
    static void write(Path file, List<byte[]> timelines) throws IOException {
        try (Writer w = new Writer(file)) {
            for (byte[] t : timelines) w.add(t);
            w.commit();
        }
    }

    /**
     * Streams timelines into {@code timelines.bin.tmp} as sealing finds them, so a block's timelines never need
     * to be in the heap at once. The count goes first in the format but is known only at the end: it is written
     * as a 5-byte uvarint (continuation bits on the padding bytes, which any uvarint reader accepts) and filled
     * in by {@link #commit}. Closing without commit removes the temp file.
     */
    static final class Writer implements AutoCloseable {
        private static final int COUNT_BYTES = 5;
        private final Path file;
        private final Path tmp;
        private FileChannel ch;             // opened by the first timeline
        private final java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 16);
        private int count;
        private boolean done;

        Writer(Path file) {
            this.file = file;
            this.tmp = file.resolveSibling(file.getFileName() + ".tmp");
        }

        /** Timelines added so far (the next one's id). */
        int count() { return count; }

        /** Appends an encoded timeline; returns its id. */
        int add(byte[] timeline) throws IOException {
            if (ch == null) {
                ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                buf.put(MAGIC);
                putPaddedCount(buf, 0);
            }
            if (buf.remaining() < 5) drain();
            byte[] len = new byte[5];
            buf.put(len, 0, putUvarint(len, 0, timeline.length));
            for (int off = 0; off < timeline.length; ) {
                if (!buf.hasRemaining()) drain();
                int n = Math.min(buf.remaining(), timeline.length - off);
                buf.put(timeline, off, n);
                off += n;
            }
            return count++;
        }

        /** Makes the file durable and renames it into place; with no timeline, removes any file instead. Returns count > 0. */
        boolean commit() throws IOException {
            done = true;
            if (ch == null) {
                Files.deleteIfExists(tmp);
                Files.deleteIfExists(file);
                return false;
            }
            drain();
            java.nio.ByteBuffer c = java.nio.ByteBuffer.allocate(COUNT_BYTES);
            putPaddedCount(c, count);
            c.flip();
            while (c.hasRemaining()) ch.write(c, MAGIC.length + c.position());
            ch.force(true);
            ch.close();
            ch = null;
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return true;
        }

        private void drain() throws IOException {
            buf.flip();
            while (buf.hasRemaining()) ch.write(buf);
            buf.clear();
        }

        private static void putPaddedCount(java.nio.ByteBuffer b, long v) {
            for (int i = 0; i < COUNT_BYTES - 1; i++) {
                b.put((byte) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            b.put((byte) v);
        }

        @Override
        public void close() throws IOException {
            if (ch != null) ch.close();
            if (!done) Files.deleteIfExists(tmp);
        }
    }

    int count() { return offset.length; }

    /** The instants of timeline id (shared array: callers must not modify it). */
    long[] get(int id) {
        if (id < 0 || id >= offset.length) throw new IllegalStateException("no timeline " + id + " of " + offset.length);
        long[] t = decoded.get(id);
        if (t == null) {
            t = ChunkTimestamps.decodeTimeline(bytes, offset[id], length[id]);
            decoded.set(id, t); // two readers may both decode: same content, either array is fine
        }
        return t;
    }

    private static long uvarint(byte[] b, int[] pos) throws IOException {
        long r = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= b.length) throw new IOException("truncated timelines file");
            byte x = b[pos[0]++];
            r |= (long) (x & 0x7F) << shift;
            if (x >= 0) return r;
        }
        throw new IOException("corrupt timelines file: varint too long");
    }

    private static int putUvarint(byte[] b, int p, long v) {
        while ((v & ~0x7FL) != 0) {
            b[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        return p;
    }
}
