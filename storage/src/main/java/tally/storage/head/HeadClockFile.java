package tally.storage.head;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The head's newest sample time, saved at every flush. A clean shutdown leaves the head (and the
 * WAL) empty, so without it a restarted head would not know where the out-of-order window and the
 * retention check start until new samples arrive. Written without fsync: a stale or missing value
 * only makes those checks more lenient, and WAL replay raises it again.
 */
final class HeadClockFile {
    private final Path file;
    private long saved = Long.MIN_VALUE;

    HeadClockFile(Path file) {
        this.file = file;
    }

    /** The saved time, or Long.MIN_VALUE when none is readable. */
    long load() {
        try {
            if (Files.exists(file)) saved = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            saved = Long.MIN_VALUE;
        }
        return saved;
    }

    void save(long t) throws IOException {
        if (t == saved) return;
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, t + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        saved = t;
    }
}
