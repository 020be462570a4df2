package tally.server.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command-line flags (Prometheus style: {@code --name=value} or {@code --name value}) and the
 * config file, which holds the same settings as {@code name: value} (or {@code name = value}) lines,
 * names without the leading dashes, {@code #} comments. Command-line flags win over the file.
 */
public final class Flags {
    private static final Map<String, Flag<?>> FLAGS = new LinkedHashMap<>();
    private static final Map<String, String> ALIASES = Map.of("storage.tsdb.retention.time", "storage.retention",
            "storage.tsdb.path", "storage.path");

    static {
        for (Flag<?> f : FlagTable.ALL) FLAGS.put(f.name(), f);
    }

    private Flags() {}

    /** Every flag with its value in this configuration, for /api/v1/status/flags. */
    public static Map<String, String> describe(ServerConfig c) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Flag<?> f : FLAGS.values()) out.put(f.name(), f.current(c));
        return out;
    }

    /** Parses the flags (after the subcommand), reading {@code --config.file} first when given. */
    public static ServerConfig parse(List<String> args) throws ConfigException {
        Map<String, String> cli = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                positional.add(a);
                continue;
            }
            String body = a.substring(2);
            int eq = body.indexOf('=');
            String name = canonical(eq < 0 ? body : body.substring(0, eq));
            Flag<?> f = FLAGS.get(name);
            if (f == null && eq < 0 && name.startsWith("no-") && FLAGS.containsKey(name.substring(3)) && FLAGS.get(name.substring(3)).bool()) {
                cli.put(name.substring(3), "false"); // kingpin's --no-<flag>
                continue;
            }
            if (f == null) throw new ConfigException("unknown flag --" + name + " (see --help)");
            String value;
            if (eq >= 0) value = body.substring(eq + 1);
            else if (f.bool()) value = "true";
            else if (i + 1 < args.size()) value = args.get(++i);
            else throw new ConfigException("flag --" + name + " needs a value");
            cli.put(name, value);
        }
        if (!positional.isEmpty()) throw new ConfigException("unexpected argument \"" + positional.get(0) + "\" (see --help)");
        ServerConfig c = new ServerConfig();
        String file = cli.get("config.file");
        if (file != null && !file.isEmpty()) {
            ConfigFile.Contents contents = ConfigFile.read(Path.of(file));
            for (Map.Entry<String, String> e : contents.settings().entrySet()) apply(c, e.getKey(), e.getValue(), file);
            c.rules = contents.rules();
            c.ignoredConfig = contents.ignored();
            c.remoteWrite = contents.remoteWrite();
            c.fileSettings = contents.settings();
        }
        for (Map.Entry<String, String> e : cli.entrySet()) apply(c, e.getKey(), e.getValue(), null);
        return c;
    }

    /** Whether a name (without dashes, aliases resolved) is one of Tally's flags. */
    static boolean known(String name) {
        return FLAGS.containsKey(canonical(name));
    }

    static String canonical(String name) {
        return ALIASES.getOrDefault(name, name);
    }

    private static void apply(ServerConfig c, String name, String value, String file) throws ConfigException {
        Flag<?> f = FLAGS.get(name);
        String where = file == null ? "--" + name : name + " in " + file;
        if (f == null) throw new ConfigException("unknown setting " + where);
        try {
            f.apply(c, value.trim());
        } catch (RuntimeException e) {
            String why = e instanceof NumberFormatException ? "not a number: \"" + value + "\"" : e.getMessage();
            throw new ConfigException("invalid value for " + where + ": " + why);
        }
    }

    public static String help() {
        StringBuilder sb = new StringBuilder();
        sb.append("usage: tally [serve] [flags]\n");
        sb.append("       tally promqltest PATH...\n");
        sb.append("       tally test rules TEST_FILE...      (promtool test rules)\n");
        sb.append("       tally check rules RULE_FILE...     (promtool check rules)\n");
        sb.append("       tally check config CONFIG_FILE...  (promtool check config)\n");
        sb.append("       tally setup-claude [--help]\n\n");
        sb.append("Flags (also settable in --config.file as 'name: value'):\n");
        for (Flag<?> f : FLAGS.values()) {
            String head = f.bool() ? "  --" + (f.defaultValue().equals("true") ? "[no-]" : "") + f.name()
                    : "  --" + f.name() + "=" + (f.defaultValue().isEmpty() ? "\"\"" : f.defaultValue());
            sb.append(head);
            sb.append(" ".repeat(Math.max(1, 52 - head.length())));
            sb.append(f.help()).append('\n');
        }
        sb.append("  --help                                            Show this help.\n");
        sb.append("  --version                                         Show the version.\n");
        return sb.toString();
    }
}
