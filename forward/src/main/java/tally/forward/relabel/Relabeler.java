package tally.forward.relabel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import tally.model.Labels;
import tally.model.QueryLimitException;
import tally.model.Re2;
import tally.model.RegexBudget;

/**
 * {@code write_relabel_configs} applied to a series' labels, as Prometheus's {@code relabel.ProcessBuilder} does: the
 * rules run in order on a label builder with Go's {@code labels.Builder} semantics (so {@code labelmap} sees the labels
 * as they were when it started, base labels in name order and then the ones set by earlier rules in the order they
 * were set), and the first rule that drops the series ends it. Immutable and thread-safe.
 *
 * <p>Regexes are Prometheus's RE2 ({@code ^(?s:REGEX)$}), compiled by {@link Re2} to java.util.regex, which backtracks;
 * every match runs under {@link RegexBudget}. A match over its budget drops the series (safer than sending labels a
 * rule was meant to remove) and is counted in {@link #overBudget()}.
 */
public final class Relabeler {
    /** No rules: every series as it is. */
    public static final Relabeler NONE = new Relabeler(List.of());

    private final Rule[] rules;
    private final LongAdder overBudget = new LongAdder();

    public Relabeler(List<RelabelConfig> configs) {
        rules = new Rule[configs.size()];
        for (int i = 0; i < rules.length; i++) rules[i] = new Rule(configs.get(i));
    }

    public boolean isEmpty() {
        return rules.length == 0;
    }

    /** Series dropped because a regex needed more work than its budget. */
    public long overBudget() {
        return overBudget.sum();
    }

    /**
     * The relabeled labels, or null when a rule drops the series. Returns {@code in} itself when there are no rules or
     * none of them changed anything (keep and drop rules only read).
     */
    public Labels apply(Labels in) {
        if (rules.length == 0) return in;
        Builder b = new Builder(in);
        try {
            for (Rule r : rules) {
                if (!r.apply(b)) return null;
            }
        } catch (QueryLimitException e) {
            overBudget.increment();
            return null;
        }
        return b.labels();
    }

    private static final class Rule {
        final String action;
        final String[] sources;
        final String separator;
        final Re2.Regex regex;
        final boolean defaultRegex;
        final long modulus;
        final String target;
        final String replacement;
        final boolean targetHasVar;
        final boolean replacementHasVar;

        Rule(RelabelConfig c) {
            action = c.action();
            sources = c.sourceLabels().toArray(new String[0]);
            separator = c.separator();
            regex = RelabelConfig.compile(c.regex());
            defaultRegex = c.regex().equals(RelabelConfig.DEFAULT_REGEX);
            modulus = c.modulus();
            target = c.targetLabel();
            replacement = c.replacement();
            targetHasVar = target.contains("$");
            replacementHasVar = replacement.contains("$");
        }

        /** Go's {@code relabel}: false drops the series. */
        boolean apply(Builder lb) {
            String val = joinedSources(lb);
            switch (action) {
                case "drop":
                    return !matches(val);
                case "keep":
                    return matches(val);
                case "dropequal":
                    return !lb.get(target).equals(val);
                case "keepequal":
                    return lb.get(target).equals(val);
                case "replace":
                    replace(lb, val);
                    return true;
                case "lowercase":
                    lb.set(target, lowerCase(val));
                    return true;
                case "uppercase":
                    lb.set(target, upperCase(val));
                    return true;
                case "hashmod":
                    lb.set(target, Long.toUnsignedString(Long.remainderUnsigned(hash(val), modulus)));
                    return true;
                case "labelmap": {
                    String[] snapshot = lb.snapshot();
                    for (int i = 0; i < snapshot.length; i += 2) {
                        String name = snapshot[i];
                        String res = RegexBudget.matcher(regex.pattern(), name, m -> m.matches() ? regex.expand(replacement, m) : null);
                        if (res != null) lb.set(res, snapshot[i + 1]);
                    }
                    return true;
                }
                case "labeldrop":
                case "labelkeep": {
                    boolean drop = action.equals("labeldrop");
                    String[] snapshot = lb.snapshot();
                    for (int i = 0; i < snapshot.length; i += 2) {
                        if (matches(snapshot[i]) == drop) lb.del(snapshot[i]);
                    }
                    return true;
                }
                default:
                    throw new IllegalStateException("relabel: unknown relabel action type " + action);
            }
        }

        private void replace(Builder lb, String val) {
            // Prometheus's fast path (same result as the general one: "(.*)" matches "" and nothing is expanded)
            if (val.isEmpty() && defaultRegex && !targetHasVar && !replacementHasVar) {
                lb.set(target, replacement);
                return;
            }
            String[] targetAndValue = RegexBudget.matcher(regex.pattern(), val, m -> m.find()
                    ? new String[] {regex.expand(target, m), regex.expand(replacement, m)} : null);
            if (targetAndValue == null) return; // no match: no replacement
            String t = targetAndValue[0];
            if (!RelabelConfig.validLabelName(t)) return;
            String res = targetAndValue[1];
            if (res.isEmpty()) lb.del(t); else lb.set(t, res);
        }

        private String joinedSources(Builder lb) {
            if (sources.length == 0) return "";
            if (sources.length == 1) return lb.get(sources[0]);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < sources.length; i++) {
                if (i > 0) sb.append(separator);
                sb.append(lb.get(sources[i]));
            }
            return sb.toString();
        }

        private boolean matches(String s) {
            return RegexBudget.matcher(regex.pattern(), s, Matcher::find);
        }
    }

    /** md5 of the UTF-8 bytes, its last 8 bytes as a big-endian unsigned integer (Prometheus's hashmod). */
    static long hash(String val) {
        byte[] sum;
        try {
            sum = MessageDigest.getInstance("MD5").digest(val.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
        long h = 0;
        for (int i = 8; i < 16; i++) h = (h << 8) | (sum[i] & 0xff);
        return h;
    }

    /** Go's strings.ToLower: unicode.ToLower rune by rune (simple case mapping, one code point to one). */
    static String lowerCase(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            int l = Character.toLowerCase(c);
            if (l != c && sb == null) sb = new StringBuilder(s.length()).append(s, 0, i);
            if (sb != null) sb.appendCodePoint(l);
            i += Character.charCount(c);
        }
        return sb == null ? s : sb.toString();
    }

    /** Go's strings.ToUpper: unicode.ToUpper rune by rune ("ß" stays "ß", where Java's toUpperCase gives "SS"). */
    static String upperCase(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            int u = Character.toUpperCase(c);
            if (u != c && sb == null) sb = new StringBuilder(s.length()).append(s, 0, i);
            if (sb != null) sb.appendCodePoint(u);
            i += Character.charCount(c);
        }
        return sb == null ? s : sb.toString();
    }

    /**
     * Go's {@code labels.Builder}: the base labels, the labels set since (in the order first set) and the names deleted.
     * A name both set and deleted is set (Set does not clear a deletion, Del removes from the set ones).
     */
    static final class Builder {
        private final Labels base;
        private String[] add; // name, value, name, value...
        private int addLen;
        private String[] del;
        private int delLen;

        Builder(Labels base) {
            this.base = base;
        }

        String get(String name) {
            for (int i = 0; i < addLen; i += 2) if (add[i].equals(name)) return add[i + 1];
            for (int i = 0; i < delLen; i++) if (del[i].equals(name)) return "";
            return base.getOrEmpty(name);
        }

        void set(String name, String value) {
            if (value.isEmpty()) {
                del(name);
                return;
            }
            for (int i = 0; i < addLen; i += 2) {
                if (add[i].equals(name)) {
                    add[i + 1] = value;
                    return;
                }
            }
            if (add == null) add = new String[8];
            else if (addLen == add.length) add = Arrays.copyOf(add, addLen * 2);
            add[addLen++] = name;
            add[addLen++] = value;
        }

        void del(String name) {
            for (int i = 0; i < addLen; i += 2) {
                if (add[i].equals(name)) {
                    System.arraycopy(add, i + 2, add, i, addLen - i - 2);
                    addLen -= 2;
                    add[addLen] = null;
                    add[addLen + 1] = null;
                    break;
                }
            }
            if (del == null) del = new String[4];
            else if (delLen == del.length) del = Arrays.copyOf(del, delLen * 2);
            del[delLen++] = name;
        }

        private boolean deleted(String name) {
            for (int i = 0; i < delLen; i++) if (del[i].equals(name)) return true;
            return false;
        }

        private boolean added(String name) {
            for (int i = 0; i < addLen; i += 2) if (add[i].equals(name)) return true;
            return false;
        }

        /** What Go's Builder.Range visits, as it is now: base labels not deleted or set, in name order, then the set ones. */
        String[] snapshot() {
            String[] out = new String[(base.size() + addLen / 2) * 2];
            int n = 0;
            for (int i = 0; i < base.size(); i++) {
                String name = base.name(i);
                if (deleted(name) || added(name)) continue;
                out[n++] = name;
                out[n++] = base.value(i);
            }
            System.arraycopy(add == null ? new String[0] : add, 0, out, n, addLen);
            n += addLen;
            return n == out.length ? out : Arrays.copyOf(out, n);
        }

        /** The result: the base itself when nothing was set or deleted. */
        Labels labels() {
            if (addLen == 0 && delLen == 0) return base;
            tally.model.LabelsBuilder b = new tally.model.LabelsBuilder(base);
            for (int i = 0; i < delLen; i++) b.remove(del[i]);
            for (int i = 0; i < addLen; i += 2) b.set(add[i], add[i + 1]);
            return b.build();
        }
    }
}
