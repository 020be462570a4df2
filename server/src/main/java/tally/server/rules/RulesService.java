package tally.server.rules;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tally.model.Storage;
import tally.promql.engine.Engine;
import tally.promql.engine.EngineOptions;
import tally.rules.eval.AlertSender;
import tally.rules.eval.RuleGroup;
import tally.rules.eval.RuleManager;
import tally.rules.eval.RuleQuery;
import tally.rules.file.BuiltinRules;
import tally.rules.file.RuleFileGlobs;
import tally.rules.file.RuleLoadException;
import tally.rules.file.RuleSource;
import tally.rules.notify.Notifier;
import tally.rules.notify.NotifierAlert;
import tally.server.config.ConfigException;
import tally.server.config.ConfigFile;
import tally.server.config.RuleSettings;
import tally.server.config.ServerConfig;
import tally.server.log.Log;

/**
 * Rules in the running server: the rule manager evaluating against the storage, the notifier sending its alerts to
 * the configured Alertmanagers, and the reloads of the configuration file (SIGHUP, {@code POST /-/reload}). A reload
 * is all or nothing, as in Prometheus: the file and every rule file it names must load, else everything keeps
 * running as it was and the failure shows in the log and in {@code prometheus_config_last_reload_successful}.
 */
public final class RulesService implements AutoCloseable {
    private final ServerConfig config;
    private final RuleManager manager;
    private final Notifier notifier;
    private String externalUrl;
    private volatile boolean lastReloadOk = true;
    private volatile long lastReloadSuccessMillis;
    private boolean closed;

    public RulesService(ServerConfig config, Storage storage, EngineOptions engineOptions) {
        this.config = config;
        // the rules' own engine: a rule's query runs with the same limits as an API query
        RuleQuery query = RuleQuery.of(new Engine(engineOptions), storage);
        this.notifier = new Notifier(config.notificationQueueCapacity, config.rules.externalLabels());
        AlertSender sender = alerts -> notifier.send(toNotifier(alerts));
        this.manager = new RuleManager(query, storage, storage, sender, tally.rules.eval.RuleFiles.parser(), System::currentTimeMillis,
                Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Loads the rules of the configuration read at start-up. {@code webPort} is the port the API listens on, for the
     * default external URL.
     *
     * @throws ConfigException when a rule file does not load: Prometheus does not start then either
     */
    public synchronized void start(int webPort) throws ConfigException {
        externalUrl = config.externalUrl != null ? config.externalUrl : ExternalUrl.defaultFor(webPort);
        if (!config.ignoredConfig.isEmpty()) {
            Log.warn("configuration sections Tally does not implement are ignored", "file", config.configFile,
                    "sections", String.join(", ", config.ignoredConfig));
        }
        try {
            apply(config.rules);
        } catch (RuleLoadException e) {
            lastReloadOk = false;
            throw new ConfigException("error loading rules: " + String.join("; ", e.errors()));
        }
    }

    /** Reads the configuration file again and applies its rules and Alertmanagers; false (and the old state kept) on error. */
    public synchronized boolean reload() {
        if (closed) return false;
        Log.info("Loading configuration file", "filename", config.configFile == null ? "" : config.configFile);
        try {
            RuleSettings rules = config.rules;
            ConfigFile.Contents contents = null;
            if (config.configFile != null && !config.configFile.isEmpty()) {
                contents = ConfigFile.read(Path.of(config.configFile));
                warnRestartNeeded(contents.settings());
                if (!contents.ignored().equals(config.ignoredConfig) && !contents.ignored().isEmpty()) {
                    Log.warn("configuration sections Tally does not implement are ignored", "file", config.configFile,
                            "sections", String.join(", ", contents.ignored()));
                }
                rules = contents.rules();
            }
            apply(rules);
            if (contents != null && reloadListener != null) reloadListener.accept(contents);
            Log.info("Completed loading of configuration file", "filename", config.configFile == null ? "" : config.configFile);
            return true;
        } catch (ConfigException e) {
            return failed(e.getMessage());
        } catch (RuleLoadException e) {
            return failed("error loading rules: " + String.join("; ", e.errors()));
        } catch (java.io.IOException | RuntimeException e) {
            return failed(e.getMessage());
        }
    }

    /** What else a reload applies, after the rules (the remote_write targets). */
    public interface ReloadListener {
        void accept(ConfigFile.Contents contents) throws java.io.IOException;
    }

    private volatile ReloadListener reloadListener;

    public void onReload(ReloadListener listener) {
        this.reloadListener = listener;
    }

    private boolean failed(String why) {
        lastReloadOk = false;
        lastError = why;
        Log.error("Error reloading config (the previous configuration stays in effect)", "err", why);
        return false;
    }

    private volatile String lastError;

    /** Why the last reload failed, or null. */
    public String lastError() { return lastReloadOk ? null : lastError; }

    private void apply(RuleSettings rules) throws RuleLoadException {
        List<RuleSource> sources = sources(rules);
        manager.update(sources, new RuleManager.Options(rules.evaluationIntervalMs(), rules.ruleQueryOffsetMs(),
                rules.externalLabels(), externalUrl, config.resendDelay.toMillis(), config.forOutageTolerance.toMillis(),
                config.forGracePeriod.toMillis()));
        notifier.apply(rules.alertmanagers(), rules.externalLabels());
        lastReloadOk = true;
        lastError = null;
        lastReloadSuccessMillis = System.currentTimeMillis();
    }

    /** The rule files named by rule_files now; Tally's Claude Code rules when none are named and they are on. */
    private List<RuleSource> sources(RuleSettings rules) throws RuleLoadException {
        if (!rules.ruleFilesGiven()) return config.claudeCodeRules ? List.of(BuiltinRules.claudeCode()) : List.of();
        List<RuleSource> out = new ArrayList<>();
        for (String pattern : rules.ruleFilePatterns()) {
            List<Path> files;
            try {
                files = RuleFileGlobs.resolve(rules.baseDir(), pattern);
            } catch (IOException e) {
                throw new RuleLoadException(List.of("rule_files " + pattern + ": " + e));
            }
            if (files.isEmpty()) Log.warn("rule_files pattern matches no file", "pattern", pattern, "dir", rules.baseDir().toString());
            for (Path f : files) out.add(RuleSource.file(f));
        }
        return out;
    }

    private void warnRestartNeeded(Map<String, String> settings) {
        TreeSet<String> changed = new TreeSet<>();
        for (String k : settings.keySet()) if (!settings.get(k).equals(config.fileSettings.get(k))) changed.add(k);
        for (String k : config.fileSettings.keySet()) if (!settings.containsKey(k)) changed.add(k);
        if (!changed.isEmpty()) Log.warn("changed Tally settings take effect at the next restart", "settings", String.join(", ", changed));
    }

    private static List<NotifierAlert> toNotifier(List<AlertSender.SentAlert> alerts) {
        List<NotifierAlert> out = new ArrayList<>(alerts.size());
        for (AlertSender.SentAlert a : alerts) {
            out.add(new NotifierAlert(a.labels().toMap(), a.annotations(), Instant.ofEpochMilli(a.startsAtMillis()),
                    Instant.ofEpochMilli(a.endsAtMillis()), a.generatorURL()));
        }
        return out;
    }

    public List<RuleGroup> groups() { return manager.groups(); }

    /** Rule, notifier and reload metrics on Tally's /metrics, with Prometheus's names. */
    public static void exportMetrics(tally.server.metrics.MetricsRegistry registry, RulesService rules) {
        RuleMetrics.register(registry, rules);
    }

    /** Reload on SIGHUP, for the server process. */
    public void reloadOnSighup() {
        SighupReload.install(this);
    }

    public Notifier notifier() { return notifier; }

    public boolean lastReloadSuccessful() { return lastReloadOk; }

    /** When the configuration last loaded successfully, epoch ms (0 before the first load). */
    public long lastReloadSuccessMillis() { return lastReloadSuccessMillis; }

    public String externalUrl() { return externalUrl; }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        manager.close();
        notifier.close();
    }
}
