package tally.forward;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import tally.storage.wal.WalPosition;

/**
 * The WAL position a target has acknowledged, in {@code <dir>/position}: one line {@code segment offset url}.
 * Written whole to a temporary file, fsynced and renamed over the old one, so a crash leaves the old or the new
 * position, never a torn one. The URL is kept so that pointing a name at another receiver starts afresh.
 */
final class PositionFile {
    private final Path dir;
    private final Path file;
    private final String url;

    PositionFile(Path dir, String url) {
        this.dir = dir;
        this.file = dir.resolve("position");
        this.url = url;
    }

    /** The saved position, or null when there is none for this URL (a new target). */
    WalPosition load() throws IOException {
        if (!Files.exists(file)) return null;
        String[] parts = Files.readString(file, StandardCharsets.UTF_8).trim().split(" ", 3);
        if (parts.length != 3 || !parts[2].equals(url)) return null;
        try {
            return new WalPosition(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        } catch (IllegalArgumentException e) {
            throw new IOException("unreadable remote-write position in " + file + ": " + e.getMessage(), e);
        }
    }

    void save(WalPosition p) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve("position.tmp");
        byte[] line = (p.segment() + " " + p.offset() + " " + url + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(line));
            ch.force(false);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
