package tally.server.setup;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code tally setup-claude}: writes the telemetry variables into the {@code env} block of Claude
 * Code's {@code ~/.claude/settings.json}, so every new Claude Code session exports its metrics and events to Tally.
 * Merges into an existing file, changes nothing else, keeps a timestamped backup and is idempotent.
 */
public final class SetupClaude {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private static final String USAGE_TEXT = String.join("\n",
            "Usage: tally setup-claude [options]",
            "",
            "Points Claude Code's metrics and events at Tally by editing the \"env\" block of ~/.claude/settings.json.",
            "Other settings are kept; the previous file is saved as settings.json.bak-<timestamp>.",
            "Events (OTLP logs) already sent to another endpoint keep going there unless --replace-logs is given.",
            "",
            "  --endpoint URL    Tally's OTLP address (default " + SetupOptions.DEFAULT_ENDPOINT + ", with --protocol grpc "
                    + SetupOptions.DEFAULT_GRPC_ENDPOINT + "); over HTTP /v1/metrics and /v1/logs are added",
            "  --protocol P      http/protobuf (default), http/json or grpc",
            "  --interval D      export interval, e.g. 10s or 60000 (ms); Claude Code's default is 60s",
            "  --token T         a write-only ingest token of Tally's web config (tally web-token), sent as Authorization: Bearer",
            "  --cumulative      ask for cumulative counters instead of Claude Code's default delta",
            "  --replace-logs    send Claude Code's events to Tally even if they already go to another OTLP endpoint",
            "  --settings FILE   edit FILE instead of ~/.claude/settings.json",
            "  --dry-run         print the resulting settings.json, change nothing",
            "  --shell           print export lines for a shell instead of editing settings.json",
            "  -h, --help        show this help",
            "");

    private SetupClaude() {}

    public static int run(String[] args, PrintStream out, PrintStream err, Path home) {
        return run(args, out, err, home, Clock.systemDefaultZone(), System.getenv());
    }

    /** @param environment the process environment: what Claude Code started from this shell would inherit */
    static int run(String[] args, PrintStream out, PrintStream err, Path home, Clock clock, Map<String, String> environment) {
        SetupOptions options;
        try {
            options = SetupOptions.parse(args, home);
        } catch (SetupOptions.UsageException e) {
            err.println("tally setup-claude: " + e.getMessage());
            err.println("Run 'tally setup-claude --help' for the options.");
            return USAGE;
        }
        if (options.help()) {
            out.print(USAGE_TEXT);
            return OK;
        }
        if (options.shell()) {
            out.println("# Claude Code -> Tally; add to your shell profile or run before 'claude'");
            out.print(TelemetryEnv.exportLines(TelemetryEnv.wanted(options, environment::get)));
            keptLogsNote(options, environment::get, out, "# ");
            return OK;
        }
        try {
            return editSettings(options, out, err, clock, environment);
        } catch (SettingsFile.InvalidSettingsException e) {
            err.println("tally setup-claude: " + e.getMessage());
            err.println("The file was not changed. Fix it, or use --shell to print export lines instead.");
            return FAILED;
        } catch (IOException e) {
            err.println("tally setup-claude: " + e);
            return FAILED;
        }
    }

    private static int editSettings(SetupOptions options, PrintStream out, PrintStream err, Clock clock, Map<String, String> environment)
            throws IOException, SettingsFile.InvalidSettingsException {
        // write through a symlink (dotfile managers link settings.json) instead of replacing it
        Path file = Files.isSymbolicLink(options.settingsFile()) ? options.settingsFile().toRealPath() : options.settingsFile();
        boolean existed = Files.exists(file);
        JsonObject root = SettingsFile.read(file);
        JsonObject env = envBlock(root, file);

        // settings.json's env wins over the environment Claude Code starts in: read it first
        Function<String, String> current = name -> {
            JsonElement v = env.get(name);
            return v != null && v.isJsonPrimitive() ? v.getAsString() : environment.get(name);
        };
        List<String> changes = new ArrayList<>();
        for (Map.Entry<String, String> wanted : TelemetryEnv.wanted(options, current).entrySet()) {
            JsonPrimitive value = new JsonPrimitive(wanted.getValue());
            if (!value.equals(env.get(wanted.getKey()))) {
                env.add(wanted.getKey(), value);
                changes.add(wanted.getKey() + "=" + wanted.getValue());
            }
        }
        if (root.get("env") == null || root.get("env").isJsonNull()) {
            root.add("env", env);
        }

        String json = SettingsFile.format(root);
        if (options.dryRun()) {
            out.print(json);
            keptLogsNote(options, current, err, "");
            err.println(changes.isEmpty() ? "(dry run: " + file + " is already set up)" : "(dry run: " + file + " not changed)");
            return OK;
        }
        if (changes.isEmpty()) {
            out.println("Claude Code is already set up for Tally: " + file + " unchanged.");
            keptLogsNote(options, current, out, "");
            return OK;
        }
        Path backup = existed ? SettingsFile.backup(file, LocalDateTime.now(clock)) : null;
        SettingsFile.write(file, json);
        out.println((existed ? "Updated " : "Created ") + file);
        if (backup != null) {
            out.println("Previous file saved as " + backup);
        }
        for (String change : changes) {
            out.println("  set " + change);
        }
        boolean events = TelemetryEnv.otherLogsPipeline(options, current) == null;
        out.println("New Claude Code sessions now send metrics to " + options.metricsEndpoint() + " (every " + intervalText(options) + ")"
                + (events ? " and events to " + options.logsEndpoint() : "") + ". Start Tally with ./tally if it is not running.");
        keptLogsNote(options, current, out, "");
        return OK;
    }

    /** Says so when Claude Code's events keep going to the user's own logs pipeline. */
    private static void keptLogsNote(SetupOptions options, Function<String, String> current, PrintStream out, String prefix) {
        String other = TelemetryEnv.otherLogsPipeline(options, current);
        if (other == null) {
            return;
        }
        out.println(prefix + "Claude Code's events keep going to " + other + " (your logs pipeline); Tally derives request, error and");
        out.println(prefix + "tool metrics from them: run with --replace-logs to send them to Tally instead.");
    }

    private static JsonObject envBlock(JsonObject root, Path file) throws SettingsFile.InvalidSettingsException {
        JsonElement env = root.get("env");
        if (env == null || env.isJsonNull()) {
            return new JsonObject();
        }
        if (!env.isJsonObject()) {
            throw new SettingsFile.InvalidSettingsException(file + ": \"env\" is not a JSON object");
        }
        return env.getAsJsonObject();
    }

    private static String intervalText(SetupOptions options) {
        Long ms = options.intervalMillis();
        if (ms == null) {
            return "60 s, Claude Code's default";
        }
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
