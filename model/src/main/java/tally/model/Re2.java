package tally.model;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles a Go RE2 regex (Prometheus's dialect) into an equivalent {@link java.util.regex.Pattern}.
 *
 * <p>The input is rewritten token by token into Java syntax whose meaning does not depend on Java's
 * quirks: character classes are re-emitted flat (RE2 has no nesting and no {@code &&}), literals are
 * escaped, {@code . ^ $ \b \s} get RE2's exact meaning, the {@code U} (ungreedy) flag is applied to the
 * quantifiers, and named groups become numbered groups with a name table (Java's group names are
 * narrower than RE2's). What RE2 rejects (lookarounds, backreferences, possessive or nested
 * repetition, {@code \Z}, {@code \C}, ...) throws {@link IllegalArgumentException} with Go's message.
 *
 * <p>{@link #compile} anchors the whole regex and lets {@code .} match newlines, as Prometheus does
 * with {@code ^(?s:re)$}; {@link #compileUnanchored} keeps plain RE2 semantics.
 */
public final class Re2 {
    /** A compiled regex and its capture group names (RE2 allows names Java's Pattern does not). */
    public static final class Regex {
        private final Pattern pattern;
        private final Map<String, Integer> groupNames;

        Regex(Pattern pattern, Map<String, Integer> groupNames) {
            this.pattern = pattern;
            this.groupNames = groupNames;
        }

        public Pattern pattern() { return pattern; }

        /** The group number of a named group, or -1. */
        public int groupIndex(String name) {
            Integer i = groupNames.get(name);
            return i == null ? -1 : i;
        }

        /**
         * Go's {@code Regexp.Expand} of {@code template} with the groups of a successful match {@code m} of this regex:
         * {@code $$} is a {@code $}; {@code $name} takes the longest run of letters, digits and underscores (so
         * {@code $1x} names the group "1x", not group 1 then "x"); {@code ${name}} is braced; a name of digits without a
         * leading zero (and under 10 digits) is a group number, anything else a group name; an unknown group, or one
         * that did not take part in the match, expands to nothing; a malformed reference leaves the {@code $} as text.
         */
        public String expand(String template, MatchResult m) {
            int dollar = template.indexOf('$');
            if (dollar < 0) return template;
            StringBuilder out = new StringBuilder(template.length() + 16);
            int i = 0;
            int n = template.length();
            while (dollar >= 0) {
                out.append(template, i, dollar);
                i = dollar + 1;
                if (i < n && template.charAt(i) == '$') {
                    out.append('$');
                    i++;
                } else {
                    int end = reference(template, i);
                    if (end < 0) {
                        out.append('$'); // malformed: the '$' is text
                    } else {
                        boolean brace = template.charAt(i) == '{';
                        String name = template.substring(brace ? i + 1 : i, brace ? end - 1 : end);
                        String g = group(m, name);
                        if (g != null) out.append(g);
                        i = end;
                    }
                }
                dollar = template.indexOf('$', i);
            }
            out.append(template, i, n);
            return out.toString();
        }

        /** The end of a reference {@code name} or {@code {name}} starting at i, or -1 when there is none (Go's extract). */
        private static int reference(String s, int i) {
            if (i >= s.length()) return -1;
            boolean brace = s.charAt(i) == '{';
            int start = brace ? i + 1 : i;
            int j = start;
            while (j < s.length()) {
                int c = s.codePointAt(j);
                if (!Character.isLetter(c) && !Character.isDigit(c) && c != '_') break;
                j += Character.charCount(c);
            }
            if (j == start) return -1;
            if (brace) {
                if (j >= s.length() || s.charAt(j) != '}') return -1;
                j++;
            }
            return j;
        }

        private String group(MatchResult m, String name) {
            int num = 0;
            for (int k = 0; k < name.length(); k++) {
                char c = name.charAt(k);
                if (c < '0' || c > '9' || num >= 100_000_000) {
                    num = -1;
                    break;
                }
                num = num * 10 + (c - '0');
            }
            if (name.charAt(0) == '0' && name.length() > 1) num = -1;
            int idx = num >= 0 ? num : groupIndex(name);
            if (idx < 0 || idx > m.groupCount()) return null;
            return m.group(idx);
        }
    }

    private static final int MAX_REPEAT = 1000;
    private static final int FLAG_I = 1, FLAG_M = 2, FLAG_S = 4, FLAG_U = 8;

    private final String re;
    private final StringBuilder out = new StringBuilder();
    private final Map<String, Integer> names = new HashMap<>();
    private final Deque<Integer> savedFlags = new ArrayDeque<>();
    private int pos;
    private int flags;
    private int groups;
    /** Whether the last thing emitted can take a repetition operator, and whether it was one. */
    private boolean canRepeat;
    private String lastRepeat;

    private Re2(String re, int flags) {
        this.re = re;
        this.flags = flags;
    }

    /** Prometheus's matcher semantics: fully anchored, {@code .} matches newlines. */
    public static Pattern compile(String re2) {
        return compileRegex(re2).pattern();
    }

    /** Like {@link #compile}, keeping the capture group names (for {@code label_replace}). */
    public static Regex compileRegex(String re2) {
        return new Re2(re2, FLAG_S).translate(true);
    }

    /** Plain RE2 semantics: unanchored, {@code .} does not match a newline unless {@code (?s)}. */
    public static Pattern compileUnanchored(String re2) {
        return compileRegexUnanchored(re2).pattern();
    }

    /**
     * Like {@link #compileUnanchored}, keeping the capture group names. Relabeling compiles {@code ^(?s:REGEX)$} with
     * it, the very string Prometheus hands Go, so a regex behaves (and fails, with the same message) as it does there.
     */
    public static Regex compileRegexUnanchored(String re2) {
        return new Re2(re2, 0).translate(false);
    }

    private Regex translate(boolean anchored) {
        checkUtf8();
        if (anchored) out.append("\\A(?:");
        while (pos < re.length()) step();
        if (!savedFlags.isEmpty()) throw error("missing closing )", re);
        if (anchored) out.append(")\\z");
        try {
            return new Regex(Pattern.compile(out.toString()), Collections.unmodifiableMap(names));
        } catch (PatternSyntaxException e) {
            // The translation only emits valid Java syntax; reaching here is a translator bug, not bad input.
            throw new IllegalStateException("RE2 translation of " + re + " produced invalid Java regex " + out, e);
        }
    }

    private void step() {
        int c = re.codePointAt(pos);
        switch (c) {
            case '(' -> openGroup();
            case ')' -> closeGroup();
            case '|' -> {
                pos++;
                out.append('|');
                atomDone(false);
            }
            case '*', '+', '?' -> repetition(Character.toString(c), pos + 1);
            case '{' -> {
                int end = braceRepeatEnd();
                if (end < 0) literal(c, 1); else repetition(re.substring(pos, end), end);
            }
            case '[' -> charClass();
            case '.' -> {
                pos++;
                out.append((flags & FLAG_S) != 0 ? "[\\x{0}-\\x{10FFFF}]" : "[^\\n]");
                atomDone(true);
            }
            case '^' -> {
                pos++;
                out.append((flags & FLAG_M) != 0 ? "(?:(?<![^\\n]))" : "(?:\\A)");
                atomDone(true);
            }
            case '$' -> {
                pos++;
                out.append((flags & FLAG_M) != 0 ? "(?:(?![^\\n]))" : "(?:\\z)");
                atomDone(true);
            }
            case '\\' -> escape();
            default -> literal(c, Character.charCount(c));
        }
    }

    private void atomDone(boolean repeatable) {
        canRepeat = repeatable;
        lastRepeat = null;
    }

    private void literal(int c, int width) {
        pos += width;
        appendLiteral(out, c);
        atomDone(true);
    }

    private static void appendLiteral(StringBuilder sb, int c) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c > 0x7f) {
            sb.appendCodePoint(c);
        } else {
            sb.append("\\x{").append(Integer.toHexString(c)).append('}');
        }
    }

    // ---- groups and flags ----

    private void openGroup() {
        if (re.startsWith("(?", pos)) {
            if (re.startsWith("(?P<", pos)) {
                namedGroup(pos + 4, "(?P<");
            } else if (re.startsWith("(?<", pos)) {
                // Go reads every "(?<" as a named group, so lookbehinds fail as invalid names.
                namedGroup(pos + 3, "(?<");
            } else {
                flagGroup();
            }
            return;
        }
        pos++;
        savedFlags.push(flags);
        groups++;
        out.append('(');
        atomDone(false);
    }

    private void namedGroup(int nameStart, String opener) {
        int close = re.indexOf('>', nameStart);
        if (close < 0) throw error("invalid named capture", re.substring(pos));
        String name = re.substring(nameStart, close);
        if (name.isEmpty() || !isWordString(name)) throw error("invalid named capture", re.substring(pos, close + 1));
        if (names.containsKey(name)) throw error("duplicate capture group name", name);
        groups++;
        names.put(name, groups);
        savedFlags.push(flags);
        pos = close + 1;
        out.append('(');
        atomDone(false);
    }

    /** {@code (?flags)} or {@code (?flags:re)}; flags are i m s U with an optional '-' part. */
    private void flagGroup() {
        int start = pos;
        int i = pos + 2;
        int newFlags = flags;
        boolean negated = false;
        boolean sawFlag = false;
        while (i < re.length()) {
            char c = re.charAt(i);
            int bit;
            switch (c) {
                case 'i' -> bit = FLAG_I;
                case 'm' -> bit = FLAG_M;
                case 's' -> bit = FLAG_S;
                case 'U' -> bit = FLAG_U;
                case '-' -> {
                    if (negated) throw unsupportedPerl(start, i + 1);
                    negated = true;
                    sawFlag = false;
                    i++;
                    continue;
                }
                case ':', ')' -> {
                    // Go rejects "(?-)" and "(?i-)": a '-' must be followed by a flag.
                    if (negated && !sawFlag) throw unsupportedPerl(start, i + 1);
                    pos = i + 1;
                    boolean caseChange = ((newFlags ^ flags) & FLAG_I) != 0;
                    if (c == ':') {
                        savedFlags.push(flags);
                        out.append(caseChange ? ((newFlags & FLAG_I) != 0 ? "(?iu:" : "(?-iu:") : "(?:");
                        flags = newFlags;
                        atomDone(false);
                    } else {
                        // Scoped to the enclosing group, in Java as in RE2.
                        if (caseChange) out.append((newFlags & FLAG_I) != 0 ? "(?iu)" : "(?-iu)");
                        flags = newFlags;
                        atomDone(false);
                    }
                    return;
                }
                default -> throw unsupportedPerl(start, i + 1);
            }
            newFlags = negated ? newFlags & ~bit : newFlags | bit;
            sawFlag = true;
            i++;
        }
        throw error("missing closing )", re);
    }

    private void closeGroup() {
        if (savedFlags.isEmpty()) throw error("unexpected )", re);
        flags = savedFlags.pop();
        pos++;
        out.append(')');
        atomDone(true);
    }

    // ---- repetition ----

    /** End index of a valid {@code {n}}, {@code {n,}} or {@code {n,m}} at pos, else -1 (then '{' is a literal). */
    private int braceRepeatEnd() {
        int i = pos + 1;
        int digits = skipDigits(i);
        if (digits == i) return -1;
        i = digits;
        if (i < re.length() && re.charAt(i) == ',') {
            i = skipDigits(i + 1);
        }
        if (i < re.length() && re.charAt(i) == '}') return i + 1;
        return -1;
    }

    private int skipDigits(int i) {
        while (i < re.length() && re.charAt(i) >= '0' && re.charAt(i) <= '9') i++;
        return i;
    }

    private void repetition(String op, int end) {
        boolean lazy = end < re.length() && re.charAt(end) == '?';
        String full = lazy ? op + "?" : op;
        if (lastRepeat != null) throw error("invalid nested repetition operator", lastRepeat + full);
        if (!canRepeat) throw error("missing argument to repetition operator", full);
        if (op.startsWith("{")) checkRepeatCount(op);
        pos = lazy ? end + 1 : end;
        out.append(op);
        // The U flag swaps greedy and lazy.
        if (lazy != ((flags & FLAG_U) != 0)) out.append('?');
        canRepeat = false;
        lastRepeat = full;
    }

    private void checkRepeatCount(String op) {
        String body = op.substring(1, op.length() - 1);
        int comma = body.indexOf(',');
        String min = comma < 0 ? body : body.substring(0, comma);
        String max = comma < 0 ? body : body.substring(comma + 1);
        long lo = parseCount(min);
        long hi = max.isEmpty() ? -1 : parseCount(max);
        if (lo > MAX_REPEAT || hi > MAX_REPEAT || (hi >= 0 && hi < lo)) throw error("invalid repeat count", op);
    }

    private static long parseCount(String s) {
        return s.length() > 5 ? Long.MAX_VALUE : Long.parseLong(s);
    }

    // ---- escapes ----

    private void escape() {
        int start = pos;
        if (pos + 1 >= re.length()) throw error("trailing backslash at end of expression", "");
        int c = re.codePointAt(pos + 1);
        switch (c) {
            case 'A' -> simple("(?:\\A)", 2, true);
            case 'z' -> simple("(?:\\z)", 2, true);
            case 'b' -> simple("(?:(?<=[0-9A-Za-z_])(?![0-9A-Za-z_])|(?<![0-9A-Za-z_])(?=[0-9A-Za-z_]))", 2, true);
            case 'B' -> simple("(?:(?<=[0-9A-Za-z_])(?=[0-9A-Za-z_])|(?<![0-9A-Za-z_])(?![0-9A-Za-z_]))", 2, true);
            case 'Q' -> quoted();
            case 'd', 'D', 'w', 'W', 's', 'S', 'p', 'P' -> {
                StringBuilder cls = new StringBuilder("[");
                pos = classEscape(cls, start);
                closeClass(cls);
            }
            default -> {
                int lit = literalEscape(start);
                appendLiteral(out, lit);
                atomDone(true);
            }
        }
    }

    private void simple(String java, int width, boolean repeatable) {
        pos += width;
        out.append(java);
        atomDone(repeatable);
    }

    /** {@code \Q...\E}: every character up to {@code \E} (or the end) is a literal. */
    private void quoted() {
        int from = pos + 2;
        int end = re.indexOf("\\E", from);
        int stop = end < 0 ? re.length() : end;
        pos = end < 0 ? re.length() : end + 2;
        boolean any = false;
        for (int i = from; i < stop; ) {
            int c = re.codePointAt(i);
            // Each literal is its own atom so a following repetition applies to the last one only.
            appendLiteral(out, c);
            any = true;
            i += Character.charCount(c);
        }
        atomDone(any);
    }

    /**
     * An escape that stands for one character ({@code \n}, {@code \x41}, {@code \101}, {@code \.}); sets pos
     * past it and returns the code point. Used both outside and inside character classes.
     */
    private int literalEscape(int start) {
        int c = re.codePointAt(start + 1);
        pos = start + 2;
        switch (c) {
            case 'a': return 0x07;
            case 'f': return '\f';
            case 't': return '\t';
            case 'n': return '\n';
            case 'r': return '\r';
            case 'v': return 0x0B;
            case 'x': return hexEscape(start);
            default: break;
        }
        if (c >= '0' && c <= '7') {
            // Go: \0 or \1-\7 followed by another octal digit; a lone \1-\7 is a backreference.
            int i = start + 1;
            int end = i;
            while (end < re.length() && end < i + 3 && re.charAt(end) >= '0' && re.charAt(end) <= '7') end++;
            if (c != '0' && end - i < 2) throw error("invalid escape sequence", re.substring(start, end));
            pos = end;
            return Integer.parseInt(re.substring(i, end), 8);
        }
        if (c < 0x80 && !Character.isLetterOrDigit(c)) return c;
        throw error("invalid escape sequence", re.substring(start, start + 1 + Character.charCount(c)));
    }

    private int hexEscape(int start) {
        int i = start + 2;
        if (i < re.length() && re.charAt(i) == '{') {
            int close = re.indexOf('}', i);
            if (close < 0 || close == i + 1 || !isHex(re, i + 1, close)) throw error("invalid escape sequence", re.substring(start, Math.min(re.length(), close < 0 ? re.length() : close + 1)));
            String hex = re.substring(i + 1, close);
            long v = hex.length() > 8 ? Long.MAX_VALUE : Long.parseLong(hex, 16);
            if (v > Character.MAX_CODE_POINT) throw error("invalid escape sequence", re.substring(start, close + 1));
            pos = close + 1;
            return (int) v;
        }
        if (i + 2 > re.length() || !isHex(re, i, i + 2)) throw error("invalid escape sequence", re.substring(start, Math.min(re.length(), i + 2)));
        pos = i + 2;
        return Integer.parseInt(re.substring(i, i + 2), 16);
    }

    private static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) if (Character.digit(s.charAt(i), 16) < 0) return false;
        return true;
    }

    /**
     * Appends the class items (no brackets) of {@code \d \D \w \W \s \S \pX \p{Name} \PX} at start to cls and
     * returns the index after it. RE2's Perl classes are ASCII-only.
     */
    private int classEscape(StringBuilder cls, int start) {
        char c = re.charAt(start + 1);
        switch (c) {
            case 'd': cls.append("0-9"); return start + 2;
            case 'D': cls.append("\\x{0}-\\x{2f}\\x{3a}-\\x{10FFFF}"); return start + 2;
            case 'w': cls.append("0-9A-Za-z_"); return start + 2;
            case 'W': cls.append("\\x{0}-\\x{2f}\\x{3a}-\\x{40}\\x{5b}-\\x{5e}\\x{60}\\x{7b}-\\x{10FFFF}"); return start + 2;
            case 's': cls.append("\\x{9}\\x{a}\\x{c}\\x{d}\\x{20}"); return start + 2;
            case 'S': cls.append("\\x{0}-\\x{8}\\x{b}\\x{e}-\\x{1f}\\x{21}-\\x{10FFFF}"); return start + 2;
            default: return unicodeClass(cls, start, c == 'P');
        }
    }

    private int unicodeClass(StringBuilder cls, int start, boolean negated) {
        int i = start + 2;
        if (i >= re.length()) throw error("invalid character class range", re.substring(start));
        String name;
        int end;
        if (re.charAt(i) == '{') {
            int close = re.indexOf('}', i);
            if (close < 0) throw error("invalid character class range", re.substring(start));
            name = re.substring(i + 1, close);
            end = close + 1;
        } else {
            name = re.substring(i, i + Character.charCount(re.codePointAt(i)));
            end = i + name.length();
        }
        if (name.startsWith("^")) {
            negated = !negated;
            name = name.substring(1);
        }
        if (name.equals("Any")) {
            // \P{Any} matches nothing: it adds nothing to the class (see closeClass).
            if (!negated) cls.append("\\x{0}-\\x{10FFFF}");
            return end;
        }
        String javaName = unicodePropertyName(name);
        if (javaName == null) throw error("invalid character class range", re.substring(start, end));
        cls.append(negated ? "\\P{" : "\\p{").append(javaName).append('}');
        return end;
    }

    /** RE2 names a general category ({@code L}, {@code Lu}) or a script ({@code Greek}); Any is every code point. */
    private static String unicodePropertyName(String name) {
        if (name.length() <= 2 && !name.isEmpty() && Character.isUpperCase(name.charAt(0))) {
            try {
                Pattern.compile("\\p{" + name + "}");
                return name;
            } catch (PatternSyntaxException e) {
                return null;
            }
        }
        if (name.isEmpty() || !isWordString(name)) return null;
        try {
            Character.UnicodeScript.forName(name);
            return "Is" + name;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // ---- character classes ----

    private static final String[][] POSIX = {
            {"alnum", "Alnum"}, {"alpha", "Alpha"}, {"ascii", "ASCII"}, {"blank", "Blank"}, {"cntrl", "Cntrl"},
            {"digit", "Digit"}, {"graph", "Graph"}, {"lower", "Lower"}, {"print", "Print"}, {"punct", "Punct"},
            {"space", "Space"}, {"upper", "Upper"}, {"xdigit", "XDigit"}};

    /** RE2 classes do not nest: '[' is literal inside, "&&" is two literals, ']' first is a literal. */
    private void charClass() {
        int start = pos;
        int i = pos + 1;
        StringBuilder cls = new StringBuilder("[");
        if (i < re.length() && re.charAt(i) == '^') {
            cls.append('^');
            i++;
        }
        boolean first = true;
        while (true) {
            if (i >= re.length()) throw error("missing closing ]", re.substring(start));
            int c = re.codePointAt(i);
            if (c == ']' && !first) break;
            first = false;
            if (c == '[' && re.startsWith("[:", i)) {
                int close = re.indexOf(":]", i + 2);
                if (close >= 0) {
                    String name = re.substring(i + 2, close);
                    boolean neg = name.startsWith("^");
                    String java = posixName(neg ? name.substring(1) : name);
                    if (java == null) throw error("invalid character class range", re.substring(i, close + 2));
                    if (java.equals("word")) cls.append(neg ? "\\W" : "\\w");
                    else cls.append(neg ? "\\P{" : "\\p{").append(java).append('}');
                    i = close + 2;
                    continue;
                }
            }
            if (c == '\\' && i + 1 < re.length() && "dDwWsSpP".indexOf(re.charAt(i + 1)) >= 0) {
                i = classEscape(cls, i);
                continue;
            }
            int itemStart = i;
            int lo = classChar(i);
            i = pos;
            if (i + 1 < re.length() && re.charAt(i) == '-' && re.charAt(i + 1) != ']') {
                int hi = classChar(i + 1);
                int after = pos;
                if (hi < lo) throw error("invalid character class range", re.substring(itemStart, after));
                appendLiteral(cls, lo);
                cls.append('-');
                appendLiteral(cls, hi);
                i = after;
            } else {
                appendLiteral(cls, lo);
            }
        }
        pos = i + 1;
        closeClass(cls);
    }

    /** Java rejects an empty class; only {@code \P{Any}} yields one: nothing, or everything when negated. */
    private void closeClass(StringBuilder cls) {
        if (cls.length() == 1) out.append("(?!)");
        else if (cls.length() == 2 && cls.charAt(1) == '^') out.append("[\\x{0}-\\x{10FFFF}]");
        else out.append(cls).append(']');
        atomDone(true);
    }

    /** One (possibly escaped) class character at i; sets pos past it. */
    private int classChar(int i) {
        int c = re.codePointAt(i);
        if (c == '\\') {
            if (i + 1 >= re.length()) throw error("missing closing ]", re.substring(i));
            return literalEscape(i);
        }
        pos = i + Character.charCount(c);
        return c;
    }

    private static String posixName(String name) {
        if (name.equals("word")) return "word";
        for (String[] p : POSIX) if (p[0].equals(name)) return p[1];
        return null;
    }

    // ---- errors ----

    private void checkUtf8() {
        for (int i = 0; i < re.length(); i++) {
            char c = re.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < re.length() && Character.isLowSurrogate(re.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw error("invalid UTF-8", re);
            }
        }
    }

    private static boolean isWordString(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
        }
        return true;
    }

    private IllegalArgumentException unsupportedPerl(int from, int to) {
        return error("invalid or unsupported Perl syntax", re.substring(from, Math.min(to, re.length())));
    }

    /** Go's regexp/syntax wording: "error parsing regexp: <code>: `<expr>`". */
    private static IllegalArgumentException error(String code, String expr) {
        return new IllegalArgumentException("error parsing regexp: " + code + ": `" + expr + "`");
    }
}
