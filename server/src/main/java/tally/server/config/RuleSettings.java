package tally.server.config;

import java.util.List;
import java.util.Map;
import tally.rules.notify.AlertmanagerConfig;

/**
 * What prometheus.yml says about rules and alerting: {@code global.evaluation_interval}, {@code global.rule_query_offset},
 * {@code global.external_labels}, {@code rule_files} (patterns, resolved against {@code baseDir} at every load) and
 * {@code alerting.alertmanagers}. {@code ruleFilesGiven} tells "no rule_files key" (Tally's default rules apply)
 * from "an empty list" (the user wants none).
 */
public record RuleSettings(long evaluationIntervalMs, long ruleQueryOffsetMs, Map<String, String> externalLabels,
                           boolean ruleFilesGiven, List<String> ruleFilePatterns, java.nio.file.Path baseDir,
                           List<AlertmanagerConfig> alertmanagers) {
    public static final long DEFAULT_EVALUATION_INTERVAL_MS = 60_000;

    /** No configuration file: Prometheus's defaults. */
    public static RuleSettings defaults() {
        return new RuleSettings(DEFAULT_EVALUATION_INTERVAL_MS, 0, Map.of(), false, List.of(), java.nio.file.Path.of("."), List.of());
    }
}
