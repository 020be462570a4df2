package tally.storage.store;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A sealed block's chunk file, memory-mapped read-only in 1 GiB windows (files may exceed 2 GiB). */
final class ChunkFile {
    private static final int WINDOW_BITS = 30;
    private static final long WINDOW = 1L << WINDOW_BITS;

    private final MappedByteBuffer[] windows;
    final long size;

    private ChunkFile(MappedByteBuffer[] windows, long size) {
        this.windows = windows;
        this.size = size;
    }

    static ChunkFile open(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            int n = (int) ((size + WINDOW - 1) / WINDOW);
            MappedByteBuffer[] ws = new MappedByteBuffer[n];
            for (int i = 0; i < n; i++) {
                long start = i * WINDOW;
                ws[i] = ch.map(FileChannel.MapMode.READ_ONLY, start, Math.min(WINDOW, size - start));
            }
            return new ChunkFile(ws, size);
        }
    }

    /** Copies len bytes at off into dst[0..len). */
    void read(long off, byte[] dst, int len) {
        int done = 0;
        while (done < len) {
            long at = off + done;
            MappedByteBuffer w = windows[(int) (at >>> WINDOW_BITS)];
            int inWindow = (int) (at & (WINDOW - 1));
            int n = Math.min(len - done, w.capacity() - inWindow);
            w.get(inWindow, dst, done, n);
            done += n;
        }
    }
}
