package tally.promql.test;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the shared reference material: a {@code shared/reference} directory beside the repository
 * or one of its parents (CI puts it at {@code ../shared}), else {@code /work/shared/reference}.
 * Null when there is none.
 */
final class ReferencePaths {
    private ReferencePaths() {}

    static Path promqlTests() {
        Path ref = reference();
        if (ref == null) return null;
        Path p = ref.resolve("promql-tests");
        return Files.isDirectory(p) ? p : null;
    }

    static Path reference() {
        for (Path d = Path.of("").toAbsolutePath(); d != null && d.getParent() != null; d = d.getParent()) {
            Path sibling = d.resolveSibling("shared").resolve("reference");
            if (Files.isDirectory(sibling)) return sibling;
        }
        Path fixed = Path.of("/work/shared/reference");
        return Files.isDirectory(fixed) ? fixed : null;
    }
}
