package tally.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Bytes on disk of a data directory. Allocated bytes come from du(1), because memory-mapped stores
 * (Chronicle Map, VictoriaMetrics' parts) create sparse files whose apparent size overstates them.
 */
final class DiskUsage {
    private DiskUsage() {}

    static long apparentBytes(Path dir) throws IOException {
        if (!Files.exists(dir)) return 0;
        try (Stream<Path> s = Files.walk(dir)) {
            long sum = 0;
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p)) sum += Files.size(p);
            }
            return sum;
        }
    }

    /** Allocated bytes of the whole tree (du -sB1). */
    static long allocatedBytes(Path dir) throws IOException {
        if (!Files.exists(dir)) return 0;
        return du(List.of(dir.toString()));
    }

    /** Allocated bytes of the files whose path relative to dir matches the regex (e.g. index files). */
    static long allocatedBytesMatching(Path dir, String regex) throws IOException {
        if (!Files.exists(dir)) return 0;
        Pattern p = Pattern.compile(regex);
        List<String> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).filter(f -> p.matcher(dir.relativize(f).toString()).find())
                    .map(Path::toString).collect(Collectors.toList());
        }
        return files.isEmpty() ? 0 : du(files);
    }

    private static long du(List<String> paths) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("du", "-B1", "-s", "-c"));
        cmd.addAll(paths);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String[] lines = out.trim().split("\n");
        String last = lines[lines.length - 1];
        if (!last.endsWith("total")) throw new IOException("unexpected du output: " + last);
        return Long.parseLong(last.split("\\s+")[0]);
    }
}
