package tally.storage.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * File names and directory chores. A WAL directory holds segments named by an 8-digit zero-padded sequence number
 * ({@code 00000042}), at most one complete checkpoint {@code checkpoint.00000042} (the state before segment 42,
 * itself a directory of segments {@code 00000000, 00000001...}), and transiently {@code checkpoint.N.tmp}.
 * Files set aside after corruption get a {@code .corrupt-<millis>} suffix and are never read again.
 */
final class WalFiles {
    static final String CHECKPOINT_PREFIX = "checkpoint.";
    static final String TMP_SUFFIX = ".tmp";

    private WalFiles() {}

    static String segmentName(long seq) { return String.format("%08d", seq); }

    static Path segment(Path dir, long seq) { return dir.resolve(segmentName(seq)); }

    static Path checkpoint(Path dir, long seq) { return dir.resolve(CHECKPOINT_PREFIX + segmentName(seq)); }

    static Path checkpointTmp(Path dir, long seq) {
        return dir.resolve(CHECKPOINT_PREFIX + segmentName(seq) + TMP_SUFFIX);
    }

    /** The sequence number of a segment file name, or -1 for anything else. */
    static long parseSegment(String name) {
        if (name.isEmpty() || name.length() > 18) return -1;
        for (int i = 0; i < name.length(); i++) if (name.charAt(i) < '0' || name.charAt(i) > '9') return -1;
        return Long.parseLong(name);
    }

    /** The sequence number of a complete checkpoint directory name, or -1. */
    static long parseCheckpoint(String name) {
        return name.startsWith(CHECKPOINT_PREFIX) ? parseSegment(name.substring(CHECKPOINT_PREFIX.length())) : -1;
    }

    static boolean isCheckpointTmp(String name) {
        return name.startsWith(CHECKPOINT_PREFIX) && name.endsWith(TMP_SUFFIX);
    }

    /** Sequence numbers of the segment files in {@code dir}, ascending. */
    static List<Long> segments(Path dir) throws IOException {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                long seq = parseSegment(p.getFileName().toString());
                if (seq >= 0 && Files.isRegularFile(p)) out.add(seq);
            }
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /** Sequence numbers of complete checkpoints in {@code dir}, ascending. */
    static List<Long> checkpoints(Path dir) throws IOException {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                long seq = parseCheckpoint(p.getFileName().toString());
                if (seq >= 0 && Files.isDirectory(p)) out.add(seq);
            }
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    static List<Path> checkpointTmps(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) if (isCheckpointTmp(p.getFileName().toString())) out.add(p);
        }
        return out;
    }

    static long directoryBytes(Path dir) throws IOException {
        long total = 0;
        for (long seq : segments(dir)) total += Files.size(segment(dir, seq));
        return total;
    }

    static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(q);
        }
    }

    /** Makes created, renamed and deleted entries of {@code dir} durable. Best effort where unsupported. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (UnsupportedOperationException | java.nio.file.AccessDeniedException e) {
            // some platforms cannot open a directory for fsync; nothing more can be done there
        }
    }

    /** Renames {@code p} out of the WAL's sight, keeping its bytes for a human to look at. */
    static Path setAside(Path p, long millis) throws IOException {
        Path target = p.resolveSibling(p.getFileName() + ".corrupt-" + millis);
        Files.move(p, target);
        return target;
    }
}
