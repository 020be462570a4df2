package tally.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;
import tally.forward.RemoteWriteConfig;
import tally.promql.ast.Durations;
import tally.rules.file.RuleFileGlobs;
import tally.rules.file.YamlNodes;
import tally.rules.notify.AlertmanagerConfig;

/**
 * Reads a prometheus.yml as users have it. The sections Tally implements become settings: {@code global}
 * (evaluation interval, rule query offset, external labels), {@code rule_files}, {@code alerting.alertmanagers},
 * {@code otlp}, {@code storage.tsdb.out_of_order_time_window} and {@code remote_write} ({@link RemoteWriteYaml}). Sections Prometheus knows and Tally does not
 * (scraping, remote read, tracing...) are collected in {@link Result#ignored()} for one warning; anything Prometheus
 * would not know either is an error, as Prometheus's strict parsing makes it. Top-level keys that are Tally flag
 * names ({@code storage.path: /srv/tally}) are Tally's own settings.
 */
final class PrometheusYaml {
    /** Tally settings (flag name to value), what rules need, and the ignored sections. */
    record Result(Map<String, String> settings, RuleSettings rules, List<String> ignored, List<RemoteWriteConfig> remoteWrite) {}

    private static final Set<String> TOP_IGNORED = Set.of("scrape_configs", "scrape_config_files", "remote_read",
            "tracing", "runtime");
    private static final Set<String> GLOBAL = Set.of("scrape_interval", "scrape_timeout", "scrape_protocols", "evaluation_interval",
            "rule_query_offset", "external_labels", "query_log_file", "scrape_failure_log_file", "body_size_limit", "sample_limit",
            "label_limit", "label_name_length_limit", "label_value_length_limit", "target_limit", "keep_dropped_targets",
            "metric_name_validation_scheme", "metric_name_escaping_scheme", "convert_classic_histograms_to_nhcb",
            "always_scrape_classic_histograms", "scrape_native_histograms", "extra_scrape_metrics");
    private static final Set<String> GLOBAL_USED = Set.of("evaluation_interval", "rule_query_offset", "external_labels");
    private static final Set<String> ALERTING = Set.of("alertmanagers", "alert_relabel_configs");
    private static final Set<String> ALERTMANAGER_USED = Set.of("scheme", "path_prefix", "timeout", "api_version", "basic_auth",
            "authorization", "static_configs");
    private static final Set<String> OTLP = Set.of("promote_resource_attributes", "keep_identifying_resource_attributes",
            "promote_all_resource_attributes", "ignore_resource_attributes", "promote_scope_metadata", "translation_strategy",
            "convert_histograms_to_nhcb");

    private final Path file;
    private final List<String> errors = new ArrayList<>();
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final Set<String> ignored = new LinkedHashSet<>();

    private PrometheusYaml(Path file) {
        this.file = file;
    }

    static Result read(Path file, Map<String, Node> top) throws ConfigException {
        return new PrometheusYaml(file).read(top);
    }

    private Result read(Map<String, Node> top) throws ConfigException {
        long interval = RuleSettings.DEFAULT_EVALUATION_INTERVAL_MS;
        long offset = 0;
        Map<String, String> external = Map.of();
        boolean filesGiven = false;
        List<String> patterns = new ArrayList<>();
        List<AlertmanagerConfig> alertmanagers = new ArrayList<>();
        List<RemoteWriteConfig> remoteWrite = List.of();
        for (Map.Entry<String, Node> e : top.entrySet()) {
            String key = e.getKey();
            Node v = e.getValue();
            switch (key) {
                case "global" -> {
                    Map<String, Node> g = YamlNodes.fields(v, "global config", GLOBAL, errors);
                    for (String k : g.keySet()) if (!GLOBAL_USED.contains(k)) ignored.add("global." + k);
                    if (g.containsKey("evaluation_interval")) interval = duration(g.get("evaluation_interval"), "evaluation_interval", true);
                    if (g.containsKey("rule_query_offset")) offset = duration(g.get("rule_query_offset"), "rule_query_offset", false);
                    if (g.containsKey("external_labels")) external = externalLabels(g.get("external_labels"));
                }
                case "rule_files" -> {
                    filesGiven = true;
                    for (Node n : YamlNodes.items(v, "rule_files", errors)) {
                        String p = YamlNodes.scalar(n, "rule file pattern", errors);
                        if (p == null) continue;
                        try {
                            RuleFileGlobs.check(p);
                            patterns.add(p);
                        } catch (IllegalArgumentException ex) {
                            errors.add(YamlNodes.pos(n) + ": " + ex.getMessage());
                        }
                    }
                }
                case "alerting" -> {
                    Map<String, Node> a = YamlNodes.fields(v, "alerting config", ALERTING, errors);
                    if (a.containsKey("alert_relabel_configs")) ignored.add("alerting.alert_relabel_configs");
                    for (Node am : YamlNodes.items(a.get("alertmanagers"), "alertmanagers", errors)) {
                        AlertmanagerConfig c = alertmanager(am);
                        if (c != null) alertmanagers.add(c);
                    }
                }
                case "otlp" -> otlp(v);
                case "remote_write" -> remoteWrite = new RemoteWriteYaml(file, errors, ignored).read(v);
                case "storage" -> storage(v);
                default -> {
                    if (TOP_IGNORED.contains(key)) ignored.add(key);
                    else settings.put(key.startsWith("--") ? key.substring(2) : key, flagValue(v, key));
                }
            }
        }
        if (!errors.isEmpty()) throw new ConfigException("invalid --config.file " + file + ": " + String.join("; ", errors));
        Path base = file.toAbsolutePath().getParent();
        return new Result(settings, new RuleSettings(interval, offset, external, filesGiven, List.copyOf(patterns), base,
                List.copyOf(alertmanagers)), List.copyOf(ignored), remoteWrite);
    }

    private AlertmanagerConfig alertmanager(Node node) {
        Map<String, Node> f = YamlNodes.fields(node, "alertmanager config", null, errors);
        for (String k : f.keySet()) {
            if (!ALERTMANAGER_USED.contains(k)) ignored.add("alerting.alertmanagers[]." + k);
        }
        List<String> targets = new ArrayList<>();
        for (Node sc : YamlNodes.items(f.get("static_configs"), "static_configs", errors)) {
            Map<String, Node> s = YamlNodes.fields(sc, "static config", Set.of("targets", "labels"), errors);
            if (s.containsKey("labels")) ignored.add("alerting.alertmanagers[].static_configs[].labels");
            for (Node t : YamlNodes.items(s.get("targets"), "targets", errors)) {
                String target = YamlNodes.scalar(t, "target", errors);
                if (target != null) targets.add(target);
            }
        }
        AlertmanagerConfig.BasicAuth basic = null;
        if (f.containsKey("basic_auth") && !YamlNodes.isNull(f.get("basic_auth"))) {
            Map<String, Node> b = YamlNodes.fields(f.get("basic_auth"), "basic_auth", Set.of("username", "password", "password_file"), errors);
            basic = attempt(f.get("basic_auth"), () -> new AlertmanagerConfig.BasicAuth(text(b.get("username")), text(b.get("password")),
                    path(b.get("password_file"))));
        }
        AlertmanagerConfig.Authorization auth = null;
        if (f.containsKey("authorization") && !YamlNodes.isNull(f.get("authorization"))) {
            Map<String, Node> a = YamlNodes.fields(f.get("authorization"), "authorization", Set.of("type", "credentials", "credentials_file"), errors);
            auth = attempt(f.get("authorization"), () -> new AlertmanagerConfig.Authorization(text(a.get("type")), text(a.get("credentials")),
                    path(a.get("credentials_file"))));
        }
        Duration timeout = f.containsKey("timeout") ? Duration.ofMillis(duration(f.get("timeout"), "timeout", true)) : null;
        AlertmanagerConfig.BasicAuth fb = basic;
        AlertmanagerConfig.Authorization fa = auth;
        return attempt(node, () -> new AlertmanagerConfig(text(f.get("scheme")), targets, text(f.get("path_prefix")), timeout,
                text(f.get("api_version")), fb, fa));
    }

    private void otlp(Node v) {
        Map<String, Node> o = YamlNodes.fields(v, "otlp config", OTLP, errors);
        for (Map.Entry<String, Node> e : o.entrySet()) {
            switch (e.getKey()) {
                case "promote_resource_attributes" -> settings.put("otlp.promote-resource-attributes", flagValue(e.getValue(), e.getKey()));
                case "ignore_resource_attributes" -> settings.put("otlp.ignore-resource-attributes", flagValue(e.getValue(), e.getKey()));
                case "keep_identifying_resource_attributes" -> settings.put("otlp.keep-identifying-resource-attributes", text(e.getValue()));
                case "promote_all_resource_attributes" -> settings.put("otlp.promote-all-resource-attributes", text(e.getValue()));
                case "promote_scope_metadata" -> settings.put("otlp.promote-scope-metadata", text(e.getValue()));
                case "translation_strategy" -> {
                    // Tally names metrics as Prometheus's default strategy does; another one is not implemented
                    if (!"UnderscoreEscapingWithSuffixes".equals(text(e.getValue()))) ignored.add("otlp.translation_strategy");
                }
                default -> ignored.add("otlp." + e.getKey());
            }
        }
    }

    private void storage(Node v) {
        Map<String, Node> s = YamlNodes.fields(v, "storage config", Set.of("tsdb", "exemplars"), errors);
        if (s.containsKey("exemplars")) ignored.add("storage.exemplars");
        Map<String, Node> tsdb = YamlNodes.fields(s.get("tsdb"), "tsdb config", Set.of("out_of_order_time_window"), errors);
        if (tsdb.containsKey("out_of_order_time_window")) settings.put("storage.out-of-order-window", text(tsdb.get("out_of_order_time_window")));
    }

    /** external_labels: non-empty names (3.x accepts UTF-8 names), no {@code __} prefix and no duplicates, as Prometheus checks. */
    private Map<String, String> externalLabels(Node n) {
        Map<String, String> m = YamlNodes.stringMap(n, "external_labels", errors);
        for (String name : m.keySet()) {
            if (name.isEmpty()) errors.add(YamlNodes.pos(n) + ": \"\" is not a valid label name");
            if (name.startsWith("__")) errors.add(YamlNodes.pos(n) + ": external label \"" + name + "\" must not start with __");
        }
        return Map.copyOf(m);
    }

    private long duration(Node n, String what, boolean positive) {
        String s = text(n);
        try {
            long ms = Durations.parseMillis(s == null ? "" : s.trim());
            if (ms < 0 || (positive && ms == 0)) throw new IllegalArgumentException();
            return ms;
        } catch (RuntimeException e) {
            errors.add(YamlNodes.pos(n) + ": " + what + ": not a valid duration string: \"" + s + "\"");
            return 0;
        }
    }

    /** A flag's value from YAML: a scalar as is, a list joined with commas (list flags). */
    private String flagValue(Node n, String key) {
        if (n instanceof SequenceNode) {
            List<String> parts = new ArrayList<>();
            for (Node item : YamlNodes.items(n, key, errors)) parts.add(YamlNodes.scalar(item, key, errors));
            return String.join(",", parts);
        }
        String s = YamlNodes.scalar(n, key, errors);
        return s == null ? "" : s;
    }

    private String text(Node n) {
        return YamlNodes.scalar(n, "value", errors);
    }

    /** A credentials file, relative to the configuration file as Prometheus resolves it. */
    private Path path(Node n) {
        String s = text(n);
        if (s == null || s.isEmpty()) return null;
        return file.toAbsolutePath().getParent().resolve(s);
    }

    private <T> T attempt(Node n, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            errors.add(YamlNodes.pos(n) + ": " + e.getMessage());
            return null;
        }
    }
}
