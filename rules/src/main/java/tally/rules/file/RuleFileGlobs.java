package tally.rules.file;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code rule_files} patterns as Go's {@code filepath.Glob} reads them: relative to the configuration file's
 * directory, {@code *} and {@code ?} within one path element, {@code [...]} classes, matches in lexical order, a
 * pattern without wildcards matching the file only if it exists. A pattern that matches nothing is not an error
 * (Prometheus loads no rules from it).
 */
public final class RuleFileGlobs {
    private RuleFileGlobs() {}

    /** Checks a pattern's syntax, as Prometheus does when it loads the configuration. */
    public static void check(String pattern) {
        if (pattern.isEmpty()) throw new IllegalArgumentException("empty rule file pattern");
        int open = 0;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\') i++;
            else if (c == '[') open++;
            else if (c == ']' && open > 0) open--;
        }
        if (open != 0) throw new IllegalArgumentException("invalid rule file path \"" + pattern + "\": syntax error in pattern");
    }

    /** The files a pattern names now, sorted. */
    public static List<Path> resolve(Path baseDir, String pattern) throws IOException {
        Path full = baseDir.resolve(pattern).normalize();
        Path root = full.getRoot() == null ? Path.of("") : full.getRoot();
        Path fixed = root;
        int i = 0;
        for (; i < full.getNameCount(); i++) {
            String part = full.getName(i).toString();
            if (hasMeta(part)) break;
            fixed = fixed.resolve(part);
        }
        if (i == full.getNameCount()) return Files.isRegularFile(fixed) ? List.of(fixed) : List.of();
        if (!Files.isDirectory(fixed)) return List.of();
        String rest = full.subpath(i, full.getNameCount()).toString();
        int depth = full.getNameCount() - i;
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + escapeBraces(rest));
        List<Path> out = new ArrayList<>();
        final Path start = fixed;
        try (Stream<Path> walk = Files.walk(start, depth)) {
            walk.filter(p -> start.relativize(p).getNameCount() == depth && m.matches(start.relativize(p)) && Files.isRegularFile(p))
                    .sorted()
                    .forEach(out::add);
        }
        return out;
    }

    private static boolean hasMeta(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '\\') return true;
        }
        return false;
    }

    /** Go's glob has no {a,b} alternatives: braces are literal there. */
    private static String escapeBraces(String s) {
        return s.replace("{", "\\{").replace("}", "\\}");
    }
}
