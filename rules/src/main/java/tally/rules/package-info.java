/**
 * Recording and alerting rules, with Prometheus 3.x semantics: rule files are parsed into groups
 * ({@code tally.rules.file}), groups are evaluated on their interval through the PromQL engine
 * ({@code tally.rules.eval}), recorded series and {@code ALERTS} go to the storage's appender, and alerts to
 * Alertmanager ({@code tally.rules.notify}). Alert labels and annotations are Go templates
 * ({@code tally.rules.template}); {@code tally.rules.unittest} runs promtool's rule unit-test files.
 */
package tally.rules;
