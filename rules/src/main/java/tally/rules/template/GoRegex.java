package tally.rules.template;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tally.model.Re2;

/**
 * Go regexp behaviour for {@code match} and {@code reReplaceAll}: unanchored RE2 (translated by
 * {@link Re2}), non-overlapping matches where an empty match right after a match is skipped, and
 * replacement templates with {@code $1}, {@code ${1}}, {@code $name}, {@code ${name}} and {@code $$}.
 */
final class GoRegex {
    private GoRegex() {}

    /** regexp.MatchString; compile errors carry Go's text ("error parsing regexp: ..."). */
    static boolean matchString(String pattern, String s) throws Func.CallError {
        Pattern p;
        try {
            p = Re2.compileUnanchored(pattern);
        } catch (IllegalArgumentException e) {
            throw new Func.CallError(e.getMessage());
        }
        return p.matcher(s).find();
    }

    /** regexp.MustCompile(pattern).ReplaceAllString(src, repl); a bad pattern fails as MustCompile's panic does. */
    static String replaceAll(String pattern, String repl, String src) throws Func.CallError {
        Pattern p;
        Re2.Regex names;
        try {
            p = Re2.compileUnanchored(pattern);
            // Group numbering does not depend on anchoring, so the anchored form supplies the names.
            names = Re2.compileRegex(pattern);
        } catch (IllegalArgumentException e) {
            String q = GoStrconv.canBackquote(pattern) ? "`" + pattern + "`" : GoStrconv.quote(pattern);
            throw new Func.CallError("regexp: Compile(" + q + "): " + e.getMessage());
        }
        Matcher m = p.matcher(src);
        StringBuilder out = new StringBuilder();
        int lastMatchEnd = 0;
        int searchPos = 0;
        while (searchPos <= src.length()) {
            if (!m.find(searchPos)) break;
            int a0 = m.start(), a1 = m.end();
            out.append(src, lastMatchEnd, a0);
            // An empty match right after the previous match is not replaced.
            if (a1 > lastMatchEnd || a0 == 0) expand(out, repl, m, names, src);
            lastMatchEnd = a1;
            int width = searchPos < src.length() ? Character.charCount(src.codePointAt(searchPos)) : 0;
            if (searchPos + width > a1) searchPos += width;
            else if (searchPos + 1 > a1) searchPos++;
            else searchPos = a1;
        }
        out.append(src, lastMatchEnd, src.length());
        return out.toString();
    }

    private static void expand(StringBuilder out, String template, Matcher m, Re2.Regex names, String src) {
        int i = 0;
        while (i < template.length()) {
            int d = template.indexOf('$', i);
            if (d < 0) break;
            out.append(template, i, d);
            i = d + 1;
            if (i < template.length() && template.charAt(i) == '$') {
                out.append('$');
                i++;
                continue;
            }
            // $name is the longest run of letters, digits and '_'; ${name} is braced.
            boolean brace = i < template.length() && template.charAt(i) == '{';
            int j = brace ? i + 1 : i;
            int k = j;
            while (k < template.length()) {
                int c = template.codePointAt(k);
                if (!(Character.isLetter(c) || Character.isDigit(c) || c == '_')) break;
                k += Character.charCount(c);
            }
            if (k == j || (brace && (k >= template.length() || template.charAt(k) != '}'))) {
                out.append('$'); // malformed: a literal '$'
                continue;
            }
            String name = template.substring(j, k);
            i = brace ? k + 1 : k;
            int group = groupNumber(name);
            if (group < 0) group = names.groupIndex(name);
            if (group >= 0 && group <= m.groupCount() && m.start(group) >= 0) out.append(src, m.start(group), m.end(group));
        }
        out.append(template, i, template.length());
    }

    /** A name of ASCII digits is a group number (no leading zeros); otherwise -1. */
    private static int groupNumber(String name) {
        long num = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9' || num >= 100_000_000) return -1;
            num = num * 10 + (c - '0');
        }
        if (name.charAt(0) == '0' && name.length() > 1) return -1;
        return (int) num;
    }
}
