package tally.promql.test;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tally.model.Storage;
import tally.promql.engine.Engine;
import tally.promql.engine.EngineOptions;

/**
 * Runs PromQL test scripts through the real parser and engine: Tally's own scripts and the
 * reference subsets must pass (evals skipped for a stated reason aside); the full upstream corpus
 * is run for its pass count only.
 */
class PromqlScriptsTest {
    /**
     * Engine gaps found by these scripts, as "file:line" of the failing eval, so the build stays
     * green while they are open. Each must keep failing: once fixed, the test asks for its removal.
     * None are open now.
     */
    private static final Set<String> KNOWN_ENGINE_GAPS = Set.of();

    /** The failures not in {@link #KNOWN_ENGINE_GAPS}; fails the test when a known gap now passes. */
    private static List<String> unexpectedFailures(RunSummary s, List<String> expectedGaps) {
        Set<String> seen = new HashSet<>();
        List<String> unexpected = new ArrayList<>();
        for (String f : s.failures()) {
            String key = gapKey(f);
            if (expectedGaps.contains(key)) seen.add(key); else unexpected.add(f);
        }
        List<String> fixed = new ArrayList<>(expectedGaps);
        fixed.removeAll(seen);
        assertEquals(List.of(), fixed, "known engine gaps that pass now: remove them from KNOWN_ENGINE_GAPS");
        return unexpected;
    }

    /** "dir/name.test:123: query: ..." becomes "name.test:123". */
    private static String gapKey(String failure) {
        int testEnd = failure.indexOf(".test:");
        if (testEnd < 0) return failure;
        int lineEnd = failure.indexOf(':', testEnd + 6);
        String fileAndLine = failure.substring(0, lineEnd < 0 ? failure.length() : lineEnd);
        int slash = fileAndLine.lastIndexOf('/');
        return fileAndLine.substring(slash + 1);
    }

    private static List<String> gapsIn(String... files) {
        List<String> out = new ArrayList<>();
        for (String g : KNOWN_ENGINE_GAPS) {
            for (String f : files) if (g.startsWith(f + ":")) out.add(g);
        }
        return out;
    }

    private static QueryEvaluator evaluator() {
        return new EngineEvaluator(new Engine(EngineOptions.defaults()));
    }

    /**
     * Tally's real storage (a fresh directory per script and per clear), as the engine sees it in
     * production; {@code -Dtally.promqltest.storage=memory} uses the in-memory test double instead.
     */
    private static Supplier<Storage> storages() {
        return "memory".equals(System.getProperty("tally.promqltest.storage")) ? MemStorage::new : TempDirStorage::open;
    }

    private static RunSummary run(List<Path> paths, ScriptRunner.Options options) {
        QueryEvaluator ev = evaluator();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        RunSummary s = new ScriptRunner(storages(), ev, options).run(paths, new PrintStream(buf, true, StandardCharsets.UTF_8));
        System.out.print(buf.toString(StandardCharsets.UTF_8));
        s.skips().forEach(System.out::println);
        return s;
    }

    private static Path reference(String dir) {
        Path tests = ReferencePaths.promqlTests();
        Assumptions.assumeTrue(tests != null, "shared/reference/promql-tests not found beside the repository: skipped");
        Path p = tests.resolve(dir);
        Assumptions.assumeTrue(Files.isDirectory(p), p + " not present: skipped");
        return p;
    }

    @Test
    void tallysOwnScriptsPass() throws Exception {
        RunSummary s = run(TallyScripts.files(), ScriptRunner.Options.STRICT);
        assertEquals(List.of(), unexpectedFailures(s, gapsIn("claude_code_dashboards.test")));
        assertEquals(0, s.skipped(), "own scripts must not need unsupported features");
    }

    @Test
    void referenceSubsetPasses() {
        RunSummary s = run(List.of(reference("subset")), ScriptRunner.Options.STRICT);
        assertEquals(List.of(), unexpectedFailures(s, gapsIn("histograms.test", "native_histograms.test")));
    }

    @Test
    void referenceSubsetDerivedPasses() {
        RunSummary s = run(List.of(reference("subset-derived")), ScriptRunner.Options.STRICT);
        assertEquals(List.of(), s.failures());
    }

    /** Information only: how much of Prometheus's whole corpus passes. Never fails the build. */
    @Test
    void upstreamCorpusSummary() {
        RunSummary s = run(List.of(reference("upstream")), ScriptRunner.Options.STRICT);
        System.out.println("upstream: " + s.totalsLine());
    }
}
