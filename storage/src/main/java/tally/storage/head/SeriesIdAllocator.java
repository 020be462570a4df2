package tally.storage.head;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Hands out series ids that are never reused, even across crashes: the store keys chunks by id,
 * so an id must name one label set forever. Ids are reserved in blocks; the end of the current
 * block is persisted (fsynced) before any id from it is handed out, and a restart continues
 * after the last reserved block, whatever the WAL still holds.
 */
final class SeriesIdAllocator {
    private static final long BLOCK = 1 << 20;

    private final Path file;
    private long next;
    private long reservedEnd;

    SeriesIdAllocator(Path file) throws IOException {
        this.file = file;
        long floor = 1;
        if (Files.exists(file)) floor = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
        this.next = floor;
        this.reservedEnd = floor;
    }

    /** Never hand out an id at or below this (ids seen in the WAL). */
    synchronized void atLeast(long id) {
        if (id >= next) next = id + 1;
    }

    synchronized long next() {
        if (next >= reservedEnd) reserve(next + BLOCK);
        return next++;
    }

    private void reserve(long end) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap((end + "\n").getBytes(StandardCharsets.US_ASCII)));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            reservedEnd = end;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reserve series ids in " + file, e);
        }
    }
}
