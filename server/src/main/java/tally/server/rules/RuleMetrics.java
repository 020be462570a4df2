package tally.server.rules;

import java.util.List;
import java.util.function.ToDoubleFunction;
import tally.rules.eval.RuleGroup;
import tally.rules.notify.NotifierStats;
import tally.server.metrics.MetricWriter;
import tally.server.metrics.MetricsRegistry;

/**
 * The rule manager's, notifier's and reload's metrics under Prometheus's names and meanings, read from the running
 * groups at scrape time. {@code rule_group} is "file;name" as in Prometheus; a group removed by a reload disappears.
 */
final class RuleMetrics {
    private static final String[] GROUP = {"rule_group"};
    private static final String[] AM = {"alertmanager"};

    private RuleMetrics() {}

    static void register(MetricsRegistry registry, RulesService rules) {
        registry.gauge("prometheus_config_last_reload_successful", "Whether the last configuration reload attempt was successful.",
                () -> rules.lastReloadSuccessful() ? 1 : 0);
        registry.gauge("prometheus_config_last_reload_success_timestamp_seconds", "Timestamp of the last successful configuration reload.",
                () -> rules.lastReloadSuccessMillis() / 1000.0);
        registry.register(out -> groups(out, rules.groups()));
        registry.register(out -> notifier(out, rules.notifier().stats()));
    }

    private static void groups(MetricWriter out, List<RuleGroup> groups) {
        family(out, groups, "prometheus_rule_evaluations_total", "The total number of rule evaluations.", "counter",
                RuleGroup::evaluationsTotal);
        family(out, groups, "prometheus_rule_evaluation_failures_total", "The total number of rule evaluation failures.", "counter",
                RuleGroup::failuresTotal);
        family(out, groups, "prometheus_rule_group_iterations_total",
                "The total number of scheduled rule group evaluations, whether executed or missed.", "counter",
                g -> g.iterationsTotal() + g.iterationsMissed());
        family(out, groups, "prometheus_rule_group_iterations_missed_total",
                "The total number of rule group evaluations missed due to slow rule group evaluation.", "counter",
                RuleGroup::iterationsMissed);
        family(out, groups, "prometheus_rule_group_interval_seconds", "The interval of a rule group.", "gauge",
                g -> g.intervalMillis() / 1000.0);
        family(out, groups, "prometheus_rule_group_last_duration_seconds", "The duration of the last rule group evaluation.", "gauge",
                g -> g.evaluationNanos() / 1e9);
        family(out, groups, "prometheus_rule_group_last_evaluation_timestamp_seconds",
                "The timestamp of the last rule group evaluation in seconds.", "gauge",
                g -> g.lastEvalTimestamp() == tally.rules.eval.Alert.UNSET ? 0 : g.lastEvalTimestamp() / 1000.0);
        family(out, groups, "prometheus_rule_group_last_evaluation_samples",
                "The number of samples returned during the last rule group evaluation.", "gauge", RuleGroup::lastSamples);
        family(out, groups, "prometheus_rule_group_rules", "The number of rules.", "gauge", g -> g.rules().size());
    }

    private static void family(MetricWriter out, List<RuleGroup> groups, String name, String help, String type,
                               ToDoubleFunction<RuleGroup> value) {
        out.family(name, help, type);
        for (RuleGroup g : groups) out.sample(name, GROUP, new String[] {g.key()}, value.applyAsDouble(g));
    }

    private static void notifier(MetricWriter out, NotifierStats s) {
        out.family("prometheus_notifications_alertmanagers_discovered", "The number of alertmanagers discovered and active.", "gauge")
                .sample("prometheus_notifications_alertmanagers_discovered", s.alertmanagersDiscovered());
        out.family("prometheus_notifications_dropped_total",
                "Total number of alerts dropped due to errors when sending to Alertmanager.", "counter")
                .sample("prometheus_notifications_dropped_total", s.droppedTotal());
        out.family("prometheus_notifications_queue_capacity", "The capacity of the alert notifications queue.", "gauge")
                .sample("prometheus_notifications_queue_capacity", s.queueCapacity());
        out.family("prometheus_notifications_queue_length", "The number of alert notifications in the queue.", "gauge")
                .sample("prometheus_notifications_queue_length", s.queueLength());
        out.family("prometheus_notifications_sent_total", "Total number of alerts sent.", "counter");
        for (NotifierStats.AlertmanagerStats a : s.alertmanagers()) {
            out.sample("prometheus_notifications_sent_total", AM, new String[] {a.alertmanager()}, a.sentTotal());
        }
        out.family("prometheus_notifications_errors_total", "Total number of sent alerts affected by errors.", "counter");
        for (NotifierStats.AlertmanagerStats a : s.alertmanagers()) {
            out.sample("prometheus_notifications_errors_total", AM, new String[] {a.alertmanager()}, a.errorsTotal());
        }
        out.family("prometheus_notifications_latency_seconds", "Latency quantiles for sending alert notifications.", "summary");
        for (NotifierStats.AlertmanagerStats a : s.alertmanagers()) {
            out.sample("prometheus_notifications_latency_seconds_sum", AM, new String[] {a.alertmanager()}, a.latencySecondsSum());
            out.sample("prometheus_notifications_latency_seconds_count", AM, new String[] {a.alertmanager()}, a.latencySecondsCount());
        }
    }
}
