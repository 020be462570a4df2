package tally.promql.parser;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the read-only shared reference material (../shared/reference) from the test's working directory. */
final class ReferenceFiles {
    private ReferenceFiles() {}

    /** The reference directory, or null when this checkout has none next to it. */
    static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("reference");
            if (Files.isDirectory(candidate)) return candidate;
        }
        return null;
    }
}
