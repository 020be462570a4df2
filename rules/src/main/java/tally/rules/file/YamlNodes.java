package tally.rules.file;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Strict reading of YAML nodes, with positions: a field that is not allowed, a key given twice, or a value of the
 * wrong shape is an error naming its line and column (1-based, as Prometheus prints them). Shared by rule files
 * and the configuration file.
 */
public final class YamlNodes {
    private YamlNodes() {}

    /** "line:column" of a node, 1-based. */
    public static String pos(Node n) {
        return (n.getStartMark().getLine() + 1) + ":" + (n.getStartMark().getColumn() + 1);
    }

    public static boolean isNull(Node n) {
        return n == null || (n instanceof ScalarNode s && s.getTag().equals(Tag.NULL));
    }

    /**
     * The fields of a mapping node in file order. Unknown fields (not in {@code allowed}) and repeated ones are
     * reported; a null node is an empty mapping; anything else but a mapping is an error and gives an empty map.
     */
    public static Map<String, Node> fields(Node n, String what, Set<String> allowed, List<String> errors) {
        Map<String, Node> out = new LinkedHashMap<>();
        if (isNull(n)) return out;
        if (!(n instanceof MappingNode m)) {
            errors.add(pos(n) + ": " + what + " must be a mapping");
            return out;
        }
        for (NodeTuple t : m.getValue()) {
            Node k = t.getKeyNode();
            if (!(k instanceof ScalarNode ks)) {
                errors.add(pos(k) + ": keys of " + what + " must be strings");
                continue;
            }
            String key = ks.getValue();
            if (allowed != null && !allowed.contains(key)) {
                errors.add(pos(k) + ": field " + key + " not found in " + what);
                continue;
            }
            if (out.containsKey(key)) {
                errors.add(pos(k) + ": mapping key \"" + key + "\" already defined at line " + pos(out.get(key)).split(":")[0]);
                continue;
            }
            out.put(key, t.getValueNode());
        }
        return out;
    }

    /** The items of a sequence node; null is empty; anything else is an error. */
    public static List<Node> items(Node n, String what, List<String> errors) {
        if (isNull(n)) return List.of();
        if (!(n instanceof SequenceNode s)) {
            errors.add(pos(n) + ": " + what + " must be a list");
            return List.of();
        }
        return s.getValue();
    }

    /** A scalar's text; null for a null node; an error (and null) for a mapping or list. */
    public static String scalar(Node n, String what, List<String> errors) {
        if (isNull(n)) return null;
        if (!(n instanceof ScalarNode s)) {
            errors.add(pos(n) + ": " + what + " must be a single value");
            return null;
        }
        return s.getValue();
    }

    /** A mapping of strings to strings, sorted by key (label sets, annotations); values are taken as text. */
    public static Map<String, String> stringMap(Node n, String what, List<String> errors) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, Node> e : fields(n, what, null, errors).entrySet()) {
            String v = scalar(e.getValue(), what + " value of " + e.getKey(), errors);
            out.put(e.getKey(), v == null ? "" : v);
        }
        return out;
    }
}
