package tally.server.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import tally.forward.RemoteWriteConfig;
import tally.rules.file.YamlNodes;

/**
 * The file {@code --config.file} names: a prometheus.yml (see {@link PrometheusYaml}), in which Tally's own settings
 * may appear as top-level {@code flag-name: value} keys, or Tally's older flat format of {@code name: value} and
 * {@code name = value} lines. It is read at start-up and again at every reload.
 */
public final class ConfigFile {
    /** Tally settings (flag name to value), the rules part, the Prometheus sections Tally ignores, the remote_write targets. */
    public record Contents(Map<String, String> settings, RuleSettings rules, List<String> ignored, List<RemoteWriteConfig> remoteWrite) {}

    private ConfigFile() {}

    public static Contents read(Path path) throws ConfigException {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read --config.file " + path + ": " + e.getMessage());
        }
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (YAMLException e) {
            // not YAML: perhaps the flat format with "name = value" lines; if that fails too, the YAML error is the useful one
            Map<String, String> flat;
            try {
                flat = flatLines(path, text);
            } catch (ConfigException notFlat) {
                flat = null;
            }
            if (flat == null || !flat.keySet().stream().allMatch(Flags::known)) {
                throw new ConfigException("invalid --config.file " + path + ": " + yamlError(e));
            }
            return new Contents(flat, RuleSettings.defaults(), List.of(), List.of());
        }
        if (YamlNodes.isNull(root)) return new Contents(Map.of(), RuleSettings.defaults(), List.of(), List.of());
        if (!(root instanceof MappingNode)) return new Contents(flatLines(path, text), RuleSettings.defaults(), List.of(), List.of());
        List<String> errors = new java.util.ArrayList<>();
        Map<String, Node> top = YamlNodes.fields(root, "config", null, errors);
        if (!errors.isEmpty()) throw new ConfigException("invalid --config.file " + path + ": " + String.join("; ", errors));
        PrometheusYaml.Result r = PrometheusYaml.read(path, top);
        Map<String, String> settings = new LinkedHashMap<>();
        r.settings().forEach((k, v) -> settings.put(Flags.canonical(k), v));
        return new Contents(settings, r.rules(), r.ignored(), r.remoteWrite());
    }

    private static String yamlError(YAMLException e) {
        if (e instanceof MarkedYAMLException m && m.getProblemMark() != null) {
            return "yaml: line " + (m.getProblemMark().getLine() + 1) + ": " + m.getProblem();
        }
        return "yaml: " + e.getMessage();
    }

    /** The flat format: {@code name: value} or {@code name = value} per line, {@code #} comments. */
    private static Map<String, String> flatLines(Path path, String text) throws ConfigException {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> lines = text.lines().toList();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int sep = indexOfSeparator(line);
            if (sep < 0) throw new ConfigException("--config.file " + path + " line " + (n + 1) + ": expected 'name: value'");
            String key = line.substring(0, sep).strip();
            if (key.startsWith("--")) key = key.substring(2);
            out.put(Flags.canonical(key), unquote(line.substring(sep + 1).strip()));
        }
        return out;
    }

    private static int indexOfSeparator(String line) {
        int colon = line.indexOf(':');
        int eq = line.indexOf('=');
        if (colon < 0) return eq;
        if (eq < 0) return colon;
        return Math.min(colon, eq);
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }
}
