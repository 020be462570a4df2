package tally.server;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import tally.model.Storage;
import tally.promql.engine.Engine;
import tally.promql.engine.EngineOptions;
import tally.promql.test.RunSummary;
import tally.promql.test.ScriptRunner;
import tally.storage.StorageOptions;
import tally.storage.TallyStorage;

/**
 * {@code tally promqltest PATH...}: runs PromQL test scripts (Prometheus's format) against the real
 * storage engine in a scratch directory; prints one line per failure and ends with
 * {@code N passed, N failed[, N skipped]}. Exit code 0 only when nothing failed.
 */
final class PromqlTestCommand {
    private PromqlTestCommand() {}

    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            err.println("usage: tally promqltest PATH... (test script files or directories of *.test)");
            return 2;
        }
        List<Path> paths = new ArrayList<>();
        for (String a : args) {
            Path p = Path.of(a);
            if (!Files.exists(p)) {
                err.println("tally promqltest: no such file or directory: " + a);
                return 2;
            }
            paths.add(p);
        }
        // storage start-up lines would drown the per-failure lines this command prints
        tally.server.log.Log.setLevel(tally.server.log.Log.Level.WARN);
        Path scratch;
        try {
            scratch = Files.createTempDirectory("tally-promqltest");
        } catch (IOException e) {
            err.println("tally promqltest: cannot create a scratch directory: " + e.getMessage());
            return 1;
        }
        int[] n = {0};
        try {
            ScriptRunner runner = new ScriptRunner(() -> openScratch(scratch.resolve("db" + n[0]++)), new Engine(EngineOptions.defaults()));
            RunSummary summary = runner.run(paths, out);
            return summary.failed() == 0 ? 0 : 1;
        } finally {
            deleteTree(scratch);
        }
    }

    private static Storage openScratch(Path dir) {
        try {
            // every sample stays in the head: scripts are small and this keeps them fast
            return TallyStorage.open(StorageOptions.defaults(dir).withFlushIntervalMillis(Long.MAX_VALUE / 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp dir
        }
    }
}
