package tally.forward.relabel;

import java.util.List;
import java.util.Locale;
import tally.model.LabelNames;
import tally.model.Re2;

/**
 * One entry of {@code write_relabel_configs}, as prometheus.yml writes it, checked as Prometheus checks it
 * ({@code model/relabel/relabel.go}, {@code Config.Validate}, with Prometheus 3's UTF-8 label names).
 *
 * <p>A null component is a key the entry does not give, and takes Prometheus's default: source labels none, separator
 * {@code ;}, regex {@code (.*)}, target label none, replacement {@code $1}, action {@code replace}. The difference
 * matters only for {@code keepequal}/{@code dropequal}, which refuse a regex given at all (even {@code (.*)}), as
 * Prometheus does. A YAML null ({@code regex:} with nothing after it) is an empty string, as Go's YAML reads it: an
 * empty regex matches only the empty string, and an empty action is refused. The action is case-insensitive and
 * stored in lower case. {@code modulus} is Go's uint64: negative longs stand for values of 2^63 and above.
 *
 * @throws IllegalArgumentException with Prometheus's message when the entry is not valid
 */
public record RelabelConfig(List<String> sourceLabels, String separator, String regex, long modulus, String targetLabel,
                            String replacement, String action) {
    public static final String DEFAULT_SEPARATOR = ";";
    public static final String DEFAULT_REGEX = "(.*)";
    public static final String DEFAULT_REPLACEMENT = "$1";
    public static final List<String> ACTIONS = List.of("replace", "keep", "drop", "keepequal", "dropequal", "hashmod", "labelmap",
            "labeldrop", "labelkeep", "lowercase", "uppercase");

    public RelabelConfig {
        String act = action == null ? "replace" : action.toLowerCase(Locale.ROOT);
        if (!act.isEmpty() && !ACTIONS.contains(act)) throw new IllegalArgumentException("unknown relabel action " + LabelNames.quote(action));
        List<String> sources = sourceLabels == null ? List.of() : List.copyOf(sourceLabels);
        for (String s : sources) {
            if (!validLabelName(s)) throw new IllegalArgumentException(LabelNames.quote(s) + " is not a valid label name");
        }
        if (regex != null) compile(regex); // Go's error parsing regexp message
        validate(act, sourceLabels != null && !sourceLabels.isEmpty(), separator == null ? DEFAULT_SEPARATOR : separator, regex != null,
                modulus, targetLabel == null ? "" : targetLabel, replacement == null ? DEFAULT_REPLACEMENT : replacement);
        sourceLabels = sources;
        separator = separator == null ? DEFAULT_SEPARATOR : separator;
        regex = regex == null ? DEFAULT_REGEX : regex;
        targetLabel = targetLabel == null ? "" : targetLabel;
        replacement = replacement == null ? DEFAULT_REPLACEMENT : replacement;
        action = act;
    }

    /** An entry with the given action and keys; the others take their defaults. */
    public static RelabelConfig of(String action, List<String> sourceLabels, String regex, String targetLabel, String replacement) {
        return new RelabelConfig(sourceLabels, null, regex, 0, targetLabel, replacement, action);
    }

    /** Prometheus's {@code Config.Validate}, its checks in its order, with its messages. */
    private static void validate(String action, boolean sourcesGiven, String separator, boolean regexGiven, long modulus,
                                 String target, String replacement) {
        if (action.isEmpty()) throw new IllegalArgumentException("relabel action cannot be empty");
        if (modulus == 0 && action.equals("hashmod")) {
            throw new IllegalArgumentException("relabel configuration for hashmod requires non-zero modulus");
        }
        boolean needsTarget = switch (action) {
            case "replace", "hashmod", "lowercase", "uppercase", "keepequal", "dropequal" -> true;
            default -> false;
        };
        if (needsTarget && target.isEmpty()) {
            throw new IllegalArgumentException("relabel configuration for " + action + " action requires 'target_label' value");
        }
        // UTF-8 names: a target with $-references is checked as the name it is written as, like one without
        if (needsTarget && !validLabelName(target)) {
            throw new IllegalArgumentException(LabelNames.quote(target) + " is invalid 'target_label' for " + action + " action");
        }
        boolean valueFree = switch (action) {
            case "lowercase", "uppercase", "keepequal", "dropequal" -> true;
            default -> false;
        };
        if (valueFree && !replacement.equals(DEFAULT_REPLACEMENT)) {
            throw new IllegalArgumentException("'replacement' can not be set for " + action + " action");
        }
        if (action.equals("labelmap") && !validLabelName(replacement)) {
            throw new IllegalArgumentException(LabelNames.quote(replacement) + " is invalid 'replacement' for " + action + " action");
        }
        if ((action.equals("keepequal") || action.equals("dropequal"))
                && (regexGiven || modulus != 0 || !separator.equals(DEFAULT_SEPARATOR) || !replacement.equals(DEFAULT_REPLACEMENT))) {
            throw new IllegalArgumentException(action + " action requires only 'source_labels' and `target_label`, and no other fields");
        }
        if ((action.equals("labeldrop") || action.equals("labelkeep"))
                && (sourcesGiven || !target.isEmpty() || modulus != 0 || !separator.equals(DEFAULT_SEPARATOR)
                || !replacement.equals(DEFAULT_REPLACEMENT))) {
            throw new IllegalArgumentException(action + " action requires only 'regex', and no other fields");
        }
    }

    /** The regex as Prometheus compiles it: {@code ^(?s:REGEX)$}, fully anchored, {@code .} matching newlines. */
    static Re2.Regex compile(String regex) {
        return Re2.compileRegexUnanchored("^(?s:" + regex + ")$");
    }

    /**
     * Prometheus 3's label names (UTF-8 validation): any non-empty valid UTF-8 string. A Java string is invalid UTF-8
     * only through a lone surrogate.
     */
    public static boolean validLabelName(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
