/**
 * A runner for Prometheus's PromQL test scripts ({@code .test} files: {@code load}, {@code clear},
 * {@code eval instant|range} with {@code expect} lines), used by the test suite and by the
 * {@code promqltest} subcommand.
 *
 * <p>{@link tally.promql.test.ScriptParser} reads a script exactly as promqltest does;
 * {@link tally.promql.test.ScriptRunner} loads each file into a fresh storage, runs every eval
 * through a {@link tally.promql.test.QueryEvaluator} and compares results with
 * {@link tally.promql.test.ResultComparator}. In {@code STRICT} mode every instant eval is also
 * re-run as a range query and with {@code @}-pinned selectors at other times, as promqltest does.
 * Evals that need what Tally does not store or parse (native histograms, {@code @st} start
 * timestamps, type-and-unit labels, experimental syntax, or any error saying a feature "is not
 * supported") are counted as skipped, each with its reason.
 */
package tally.promql.test;
