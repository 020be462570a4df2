package tally.promql.functions;

import java.util.List;
import java.util.regex.Matcher;
import tally.model.Labels;
import tally.model.Re2;
import tally.model.RegexBudget;

/** {@code label_replace} and {@code label_join} on one label set. */
public final class LabelFunctions {
    private LabelFunctions() {}

    /** A compiled {@code label_replace}: fully anchored regex where {@code .} matches newlines, as in Go. */
    public static final class Replace {
        private final String dst;
        private final String replacement;
        private final String src;
        private final Re2.Regex regex;

        public Replace(String dst, String replacement, String src, String regex) {
            try {
                this.regex = Re2.compileRegex(regex);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid regular expression in label_replace(): " + regex);
            }
            if (!validLabelName(dst)) throw new IllegalArgumentException("invalid destination label name in label_replace(): " + dst);
            this.dst = dst;
            this.replacement = replacement;
            this.src = src;
        }

        public String dst() { return dst; }

        /** The relabelled set, or the input itself when the regex does not match the source value. */
        public Labels apply(Labels in) {
            String value = in.getOrEmpty(src);
            String expanded = RegexBudget.matcher(regex.pattern(), value, m -> m.matches() ? expand(replacement, m, regex) : null);
            return expanded == null ? in : in.toBuilder().set(dst, expanded).build();
        }
    }

    /**
     * Any non-empty valid UTF-8 string is a label name in Prometheus 3. Java strings cannot hold invalid UTF-8:
     * the parser keeps such bytes as lone surrogates (older versions: U+FFFD), which mark a name Prometheus rejects.
     */
    public static boolean validLabelName(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\uFFFD') return false;
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return false;
            }
            if (Character.isLowSurrogate(c)) return false;
        }
        return true;
    }

    public static Labels join(Labels in, String dst, String separator, List<String> srcLabels) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < srcLabels.size(); i++) {
            if (i > 0) sb.append(separator);
            sb.append(in.getOrEmpty(srcLabels.get(i)));
        }
        return in.toBuilder().set(dst, sb.toString()).build();
    }

    /** Go's Regexp.Expand (see {@link Re2.Regex#expand}): {@code $1}, {@code ${1}}, {@code $name}, {@code ${name}}, {@code $$}. */
    static String expand(String template, Matcher m, Re2.Regex regex) {
        return regex.expand(template, m);
    }
}
