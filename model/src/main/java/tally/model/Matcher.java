package tally.model;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A label matcher. Regexes are RE2 ({@link Re2}), fully anchored, and {@code .} matches newlines (Prometheus 3.x).
 * A missing label matches as the empty string. Literal alternations ({@code a|b|c}) are matched
 * by set lookup, without running the regex engine.
 */
public final class Matcher {
    private final MatchType type;
    private final String name;
    private final String value;
    private final Pattern pattern;       // regex matchers only, null when a literal set suffices
    private final Set<String> literals;  // non-null when the regex is a plain alternation of literals
    private final boolean everything;    // =~".*": accepts any value and no value

    private Matcher(MatchType type, String name, String value) {
        this.type = type;
        this.name = name;
        this.value = value;
        if (type == MatchType.REGEX || type == MatchType.NOT_REGEX) {
            Set<String> lits = literalAlternatives(value);
            this.literals = lits;
            this.pattern = lits != null ? null : compile(value);
        } else {
            this.literals = null;
            this.pattern = null;
        }
        this.everything = type == MatchType.REGEX && (value.equals(".*") || value.equals("^.*$") || value.equals("(.*)"));
    }

    /** @throws IllegalArgumentException for an invalid regex, with the regex engine's message */
    public static Matcher of(MatchType type, String name, String value) {
        return new Matcher(type, name, value);
    }

    public static Matcher equal(String name, String value) { return new Matcher(MatchType.EQUAL, name, value); }

    public static Matcher metricName(String value) { return equal(Labels.METRIC_NAME, value); }

    public MatchType type() { return type; }
    public String name() { return name; }
    public String value() { return value; }

    /** Whether the label value (or "" when absent) matches. */
    public boolean matches(String v) {
        if (v == null) v = "";
        return switch (type) {
            case EQUAL -> value.equals(v);
            case NOT_EQUAL -> !value.equals(v);
            case REGEX -> regexMatches(v);
            case NOT_REGEX -> !regexMatches(v);
        };
    }

    public boolean matches(Labels labels) {
        return matches(labels.get(name));
    }

    /**
     * Whether this matcher accepts every value and the absence of the label ({@code =~".*"}, as dashboards write
     * for "all" in a variable): it selects nothing out, so storage may skip it instead of testing each value.
     */
    public boolean matchesEverything() {
        return everything;
    }

    /** Whether this matcher accepts the empty string, i.e. also selects series without the label. */
    public boolean matchesEmpty() { return matches(""); }

    /** For {@code =~"a|b"}: the exact set of values that match, else null. */
    public Set<String> setMatches() {
        if (type == MatchType.EQUAL) return Set.of(value);
        return type == MatchType.REGEX ? literals : null;
    }

    private boolean regexMatches(String v) {
        return literals != null ? literals.contains(v) : RegexBudget.matches(pattern, v);
    }

    private static Pattern compile(String re) {
        try {
            return Re2.compile(re);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid regular expression " + LabelNames.quote(re) + ": " + e.getMessage(), e);
        }
    }

    /** "a|b|c" of plain characters becomes {a,b,c}; anything with regex syntax returns null. */
    private static Set<String> literalAlternatives(String re) {
        for (int i = 0; i < re.length(); i++) {
            char c = re.charAt(i);
            if ("\\^$.*+?()[]{}".indexOf(c) >= 0) return null;
        }
        return new HashSet<>(Arrays.asList(re.split("\\|", -1)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Matcher m && m.type == type && m.name.equals(name) && m.value.equals(value);
    }

    @Override
    public int hashCode() { return (type.hashCode() * 31 + name.hashCode()) * 31 + value.hashCode(); }

    @Override
    public String toString() {
        String n = LabelNames.isLegacyLabelName(name) ? name : LabelNames.quote(name);
        return n + type.symbol() + LabelNames.quote(value);
    }
}
