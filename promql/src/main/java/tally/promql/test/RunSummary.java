package tally.promql.test;

import java.util.List;

/**
 * The outcome of running scripts: counts of evals, one line per failure
 * ({@code file:line: <query>: <what differed>}) and one per skipped eval ({@code file:line: <query>: skipped: <why>}).
 */
public record RunSummary(int passed, int failed, int skipped, List<String> failures, List<String> skips) {
    public RunSummary {
        failures = List.copyOf(failures);
        skips = List.copyOf(skips);
    }

    /** {@code N passed, N failed}, with {@code , N skipped} when any were skipped. */
    public String totalsLine() {
        return passed + " passed, " + failed + " failed" + (skipped > 0 ? ", " + skipped + " skipped" : "");
    }
}
