package tally.rules.file;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.reader.ReaderException;
import tally.model.Labels;
import tally.promql.ast.Durations;
import tally.promql.ast.Expr;
import tally.promql.parser.ParseException;
import tally.promql.parser.PromQLParser;

/**
 * Reads a rule file in Prometheus's format, strictly: an unknown field is an error, and so is every rule that
 * Prometheus would refuse (both or neither of record/alert, no expr, an expression that does not parse, a label
 * named __name__, for/annotations on a recording rule, a template that does not parse...). All problems of a file
 * are reported together, each with the file and its position, group and rule (see {@link RuleLoadException}).
 */
public final class RuleFileParser {
    /** Checks an alert's label or annotation template at load time: null when it parses, else the reason. */
    @FunctionalInterface
    public interface TemplateCheck {
        String problem(String alertName, String template);
    }

    private static final Set<String> TOP = Set.of("groups");
    private static final Set<String> GROUP = Set.of("name", "interval", "query_offset", "limit", "labels", "rules");
    private static final Set<String> RULE = Set.of("record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations");

    private final TemplateCheck templates;

    public RuleFileParser(TemplateCheck templates) {
        this.templates = templates;
    }

    /** Reads and parses a file; {@code shownPath} is how errors and the API name it. */
    public RuleFile parse(Path file, String shownPath) throws RuleLoadException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RuleLoadException(List.of(shownPath + ": " + e));
        }
        return parse(text, shownPath);
    }

    /** Parses a rule file's text. Only the first YAML document counts, as in Prometheus. */
    public RuleFile parse(String text, String file) throws RuleLoadException {
        Node root;
        try {
            Iterator<Node> docs = new Yaml(new LoaderOptions()).composeAll(new StringReader(text)).iterator();
            root = docs.hasNext() ? docs.next() : null;
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
            throw new RuleLoadException(List.of(file + ": yaml: line " + line + ": " + e.getProblem()));
        } catch (ReaderException e) { // a character YAML does not allow: it has no mark, only an offset in code points
            throw new RuleLoadException(List.of(file + ": yaml: line " + lineOf(text, e.getPosition()) + ": " + e.getMessage()
                    + " (U+" + String.format("%04X", e.getCodePoint()) + ")"));
        } catch (YAMLException e) {
            throw new RuleLoadException(List.of(file + ": yaml: " + e.getMessage()));
        } catch (RuntimeException e) {
            // SnakeYAML lets some malformed input escape as other exceptions: a "\x" escape cut short ends in
            // Integer.parseInt's NumberFormatException
            throw new RuleLoadException(List.of(file + ": yaml: malformed input (" + e + ")"));
        }
        List<String> errors = new ArrayList<>();
        List<RuleGroupSpec> groups = new ArrayList<>();
        Map<String, Node> top = YamlNodes.fields(root, "rule file", TOP, errors);
        Set<String> names = new HashSet<>();
        for (Node g : YamlNodes.items(top.get("groups"), "groups", errors)) {
            RuleGroupSpec spec = group(g, names, errors);
            if (spec != null) groups.add(spec);
        }
        if (!errors.isEmpty()) {
            List<String> withFile = new ArrayList<>(errors.size());
            for (String e : errors) withFile.add(file + ": " + e);
            throw new RuleLoadException(withFile);
        }
        return new RuleFile(file, List.copyOf(groups));
    }

    /** The 1-based line of the code point at {@code offset}. */
    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0, cp = 0; i < text.length() && cp < offset; i += Character.charCount(text.codePointAt(i)), cp++) {
            if (text.charAt(i) == '\n') line++;
        }
        return line;
    }

    private RuleGroupSpec group(Node node, Set<String> names, List<String> errors) {
        Map<String, Node> f = YamlNodes.fields(node, "rule group", GROUP, errors);
        String name = YamlNodes.scalar(f.get("name"), "group name", errors);
        if (name == null || name.isEmpty()) {
            errors.add(YamlNodes.pos(node) + ": Groupname must not be empty");
            name = "";
        } else if (!names.add(name)) {
            errors.add(YamlNodes.pos(node) + ": groupname: \"" + name + "\" is repeated in the same file");
        }
        Long interval = duration(f.get("interval"), "interval", errors);
        Long offset = duration(f.get("query_offset"), "query_offset", errors);
        int limit = 0;
        String limitText = YamlNodes.scalar(f.get("limit"), "limit", errors);
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText.trim());
            } catch (NumberFormatException e) {
                errors.add(YamlNodes.pos(f.get("limit")) + ": limit must be an integer, got \"" + limitText + "\"");
            }
        }
        Map<String, String> labels = YamlNodes.stringMap(f.get("labels"), "group labels", errors);
        for (String k : labels.keySet()) {
            if (k.isEmpty() || k.equals(Labels.METRIC_NAME)) errors.add("invalid label name: " + k);
        }
        List<RuleSpec> rules = new ArrayList<>();
        List<Node> ruleNodes = YamlNodes.items(f.get("rules"), "rules", errors);
        for (int i = 0; i < ruleNodes.size(); i++) {
            RuleSpec r = rule(ruleNodes.get(i), name, i + 1, errors);
            if (r != null) rules.add(r);
        }
        return new RuleGroupSpec(name, interval, offset, limit, labels, List.copyOf(rules));
    }

    private RuleSpec rule(Node node, String group, int index, List<String> errors) {
        List<String> own = new ArrayList<>();
        Map<String, Node> f = YamlNodes.fields(node, "rule", RULE, own);
        String record = YamlNodes.scalar(f.get("record"), "record", own);
        String alert = YamlNodes.scalar(f.get("alert"), "alert", own);
        String exprText = YamlNodes.scalar(f.get("expr"), "expr", own);
        Long forMs = duration(f.get("for"), "for", own);
        Long keepMs = duration(f.get("keep_firing_for"), "keep_firing_for", own);
        Map<String, String> labels = YamlNodes.stringMap(f.get("labels"), "labels", own);
        Map<String, String> annotations = YamlNodes.stringMap(f.get("annotations"), "annotations", own);
        if (record != null && record.isEmpty()) record = null;
        if (alert != null && alert.isEmpty()) alert = null;
        String name = alert != null ? alert : record != null ? record : "";
        // positions as Prometheus gives them: the record node, else the alert node, else the rule
        String at = YamlNodes.pos(f.containsKey("record") ? f.get("record") : f.containsKey("alert") ? f.get("alert") : node) + ": ";
        List<String> problems = new ArrayList<>();
        if (record != null && alert != null) problems.add(at + "only one of 'record' and 'alert' must be set");
        if (record == null && alert == null) problems.add(at + "one of 'record' or 'alert' must be set");
        Expr expr = null;
        if (exprText == null || exprText.isEmpty()) {
            problems.add((f.containsKey("expr") ? YamlNodes.pos(f.get("expr")) + ": " : at) + "field 'expr' must be set in rule");
        } else {
            try {
                expr = PromQLParser.parseExpr(exprText);
            } catch (ParseException e) {
                problems.add(YamlNodes.pos(f.get("expr")) + ": could not parse expression: " + e.getMessage());
            }
        }
        if (record != null) {
            if (!annotations.isEmpty()) problems.add(at + "invalid field 'annotations' in recording rule");
            if (forMs != null && forMs != 0) problems.add(at + "invalid field 'for' in recording rule");
            if (keepMs != null && keepMs != 0) problems.add(at + "invalid field 'keep_firing_for' in recording rule");
            if (record.contains("{") || record.contains("}")) {
                problems.add(at + "braces present in the recording rule name; should it be in expr?: " + record);
            }
        }
        for (String k : labels.keySet()) {
            if (k.isEmpty() || k.equals(Labels.METRIC_NAME)) problems.add("invalid label name: " + k);
        }
        for (String k : annotations.keySet()) {
            if (k.isEmpty()) problems.add("invalid annotation name: " + k);
        }
        if (alert != null) {
            for (Map.Entry<String, String> e : labels.entrySet()) {
                String p = templates.problem(alert, e.getValue());
                if (p != null) problems.add("label \"" + e.getKey() + "\": " + p);
            }
            for (Map.Entry<String, String> e : annotations.entrySet()) {
                String p = templates.problem(alert, e.getValue());
                if (p != null) problems.add("annotation \"" + e.getKey() + "\": " + p);
            }
        }
        for (String p : own) errors.add(p + " (group \"" + group + "\", rule " + index + ")");
        for (String p : problems) errors.add(rulePrefix(p, group, index, name));
        if (!own.isEmpty() || !problems.isEmpty()) return null;
        return new RuleSpec(record, alert, exprText, expr, forMs == null ? 0 : forMs, keepMs == null ? 0 : keepMs,
                java.util.Collections.unmodifiableMap(labels), java.util.Collections.unmodifiableMap(annotations));
    }

    /** "L:C: group "g", rule N, "name": reason" as Prometheus's rulefmt.Error prints it (position first when known). */
    private static String rulePrefix(String problem, String group, int index, String name) {
        String where = "group \"" + group + "\", rule " + index + ", \"" + name + "\": ";
        int colon = problem.indexOf(": ");
        boolean positioned = colon > 0 && problem.substring(0, colon).matches("\\d+:\\d+");
        return positioned ? problem.substring(0, colon + 2) + where + problem.substring(colon + 2) : where + problem;
    }

    private static Long duration(Node n, String what, List<String> errors) {
        String text = YamlNodes.scalar(n, what, errors);
        if (text == null) return null;
        try {
            long ms = Durations.parseMillis(text.trim());
            if (ms < 0) throw new IllegalArgumentException("not a valid duration string: \"" + text + "\"");
            return ms;
        } catch (IllegalArgumentException | ArithmeticException e) {
            errors.add(YamlNodes.pos(n) + ": " + what + ": not a valid duration string: \"" + text + "\"");
            return null;
        }
    }
}
