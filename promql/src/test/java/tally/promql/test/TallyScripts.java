package tally.promql.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Tally's own PromQL test scripts, in src/test/resources/promql. */
final class TallyScripts {
    static final Path DIR = Path.of("src", "test", "resources", "promql");

    private TallyScripts() {}

    static List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.filter(p -> p.toString().endsWith(".test")).sorted().toList();
        }
    }
}
