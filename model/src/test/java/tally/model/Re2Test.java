package tally.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Expected results are what Go's regexp (RE2 syntax) does with Prometheus's {@code ^(?s:re)$} wrapping. */
class Re2Test {
    private static boolean full(String re, String s) {
        return Re2.compile(re).matcher(s).matches();
    }

    private static void invalid(String re, String expectedMessage) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Re2.compile(re), re);
        assertEquals(expectedMessage, e.getMessage(), re);
    }

    @Test
    void bracketInsideClassIsALiteral() {
        assertTrue(full("[^[]+", "abc"));
        assertFalse(full("[^[]+", "a[c"));
        assertTrue(full("[[]", "["));
        assertTrue(full("[a[]+", "a[a"));
        assertFalse(full("[[]", "a"));
    }

    @Test
    void closingBracketFirstIsALiteral() {
        assertTrue(full("[]a]+", "]a]"));
        assertTrue(full("[^]a]", "b"));
        assertFalse(full("[^]a]", "]"));
        invalid("[]", "error parsing regexp: missing closing ]: `[]`");
    }

    @Test
    void ampersandsAreLiteralsNotIntersection() {
        assertTrue(full("[a-z&&[^b]]+", "&]]")); // RE2: class {a-z & [ ^ b}, then ']' repeated
        assertFalse(full("[a-z&&[^b]]+", "b&&]"));
        assertTrue(full("[a&&b]", "&"));
        assertTrue(full("[a&&b]", "b"));
    }

    @Test
    void posixClasses() {
        assertTrue(full("[[:alpha:]]+", "abcXYZ"));
        assertFalse(full("[[:alpha:]]", "1"));
        assertTrue(full("[[:^alpha:]]", "1"));
        assertTrue(full("[[:digit:][:space:]]+", "1 2\t3"));
        assertTrue(full("[[:word:]]+", "a_1"));
        assertTrue(full("[[:punct:]]+", "!-/"));
        assertFalse(full("[[:alpha:]]", "é")); // POSIX classes are ASCII in RE2
        invalid("[[:foo:]]", "error parsing regexp: invalid character class range: `[:foo:]`");
    }

    @Test
    void perlClassesAreAscii() {
        assertTrue(full("\\w+", "a_Z9"));
        assertFalse(full("\\w", "é"));
        assertFalse(full("\\d", "٣")); // Arabic-Indic digit
        assertFalse(full("\\s", "\u000B")); // RE2's \s has no vertical tab
        assertTrue(full("\\s", "\f"));
        assertTrue(full("\\S", "\u000B"));
        assertTrue(full("[\\d-z]+", "1-z"));
        assertEquals(0x0B, "\u000B".charAt(0));
        assertTrue(full("\\v", "\u000B"));
        assertFalse(full("\\v", "\n"));
    }

    @Test
    void unicodeClasses() {
        assertTrue(full("\\pL+", "aé漢"));
        assertFalse(full("\\pL", "1"));
        assertTrue(full("\\p{Lu}", "É"));
        assertTrue(full("\\p{Greek}+", "αβγ"));
        assertTrue(full("\\P{Greek}", "a"));
        assertTrue(full("\\p{^Greek}", "a"));
        assertTrue(full("[\\p{Greek}\\d]+", "α1"));
        assertTrue(full("\\p{Any}", "\n"));
        assertFalse(full("\\P{Any}", "a"));
        invalid("\\p{Foo}", "error parsing regexp: invalid character class range: `\\p{Foo}`");
    }

    @Test
    void namedGroups() {
        Re2.Regex r = Re2.compileRegex("(?P<first_name>\\w+)-(?<n2>\\d+)");
        java.util.regex.Matcher m = r.pattern().matcher("bob-42");
        assertTrue(m.matches());
        assertEquals("bob", m.group(r.groupIndex("first_name")));
        assertEquals("42", m.group(r.groupIndex("n2")));
        assertEquals(-1, r.groupIndex("missing"));
        invalid("(?P<a>x)(?P<a>y)", "error parsing regexp: duplicate capture group name: `a`");
        invalid("(?P<a-b>x)", "error parsing regexp: invalid named capture: `(?P<a-b>`");
    }

    @Test
    void flags() {
        assertTrue(full("(?i)abc", "AbC"));
        assertTrue(full("a(?i:b)c", "aBc"));
        assertFalse(full("a(?i:b)c", "aBC"));
        assertTrue(full("(?i)[a-c]+", "ABC"));
        assertTrue(full("a.b", "a\nb")); // Prometheus wraps in (?s:...)
        assertFalse(full("(?-s)a.b", "a\nb"));
        assertTrue(full("(?m)a$\\n^b", "a\nb"));
        assertFalse(full("a$\\nb", "a\nb")); // without m, $ is end of text only
        assertTrue(full("(?U)(a+)(a*)", "aaa"));
        Pattern ungreedy = Re2.compileUnanchored("(?U)a+");
        java.util.regex.Matcher m = ungreedy.matcher("aaa");
        assertTrue(m.find());
        assertEquals("a", m.group());
        invalid("(?x)a", "error parsing regexp: invalid or unsupported Perl syntax: `(?x`");
        assertTrue(full("(?)a", "a"));
        invalid("(?i-)a", "error parsing regexp: invalid or unsupported Perl syntax: `(?i-)`");
    }

    @Test
    void anchoringIsFull() {
        assertTrue(full("foo|bar", "bar"));
        assertFalse(full("foo|bar", "foobar"));
        assertFalse(full("a", "a\n")); // Java's $ would accept a final newline
        Pattern unanchored = Re2.compileUnanchored("b");
        assertTrue(unanchored.matcher("abc").find());
    }

    @Test
    void literalsAndEscapes() {
        assertTrue(full("a{", "a{"));          // not a valid repeat: literal in RE2
        assertTrue(full("a{,3}", "a{,3}"));
        assertTrue(full("a{2,3}", "aaa"));
        assertTrue(full("\\Q.*+\\E+", ".*++"));
        assertTrue(full("\\x41\\x{1F600}", "A\uD83D\uDE00"));
        assertTrue(full("\\101\\0", "A\0"));
        assertTrue(full("\\_\\-\\.", "_-."));
        assertTrue(full("\\bfoo\\b", "foo"));
        assertTrue(full("#\\ ", "# "));
    }

    @Test
    void rejectsWhatRe2Rejects() {
        invalid("(?=a)", "error parsing regexp: invalid or unsupported Perl syntax: `(?=`");
        invalid("(?!a)", "error parsing regexp: invalid or unsupported Perl syntax: `(?!`");
        invalid("(?<=a)b", "error parsing regexp: invalid named capture: `(?<=a)b`");
        invalid("(a)\\1", "error parsing regexp: invalid escape sequence: `\\1`");
        invalid("a*+", "error parsing regexp: invalid nested repetition operator: `*+`");
        invalid("a**", "error parsing regexp: invalid nested repetition operator: `**`");
        invalid("*a", "error parsing regexp: missing argument to repetition operator: `*`");
        invalid("a{1001}", "error parsing regexp: invalid repeat count: `{1001}`");
        invalid("a{3,2}", "error parsing regexp: invalid repeat count: `{3,2}`");
        invalid("\\Z", "error parsing regexp: invalid escape sequence: `\\Z`");
        invalid("\\C", "error parsing regexp: invalid escape sequence: `\\C`");
        invalid("(a", "error parsing regexp: missing closing ): `(a`");
        invalid("a)", "error parsing regexp: unexpected ): `a)`");
        invalid("[z-a]", "error parsing regexp: invalid character class range: `z-a`");
        invalid("a\\", "error parsing regexp: trailing backslash at end of expression: ``");
        invalid("a\uD800", "error parsing regexp: invalid UTF-8: `a\uD800`");
    }

    @Test
    void matcherUsesRe2() {
        Matcher m = Matcher.of(MatchType.REGEX, "job", "[^[]+");
        assertTrue(m.matches("api"));
        assertFalse(m.matches("a[i"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Matcher.of(MatchType.REGEX, "job", "(?=x)"));
        assertTrue(e.getMessage().startsWith("invalid regular expression \"(?=x)\": error parsing regexp"), e.getMessage());
    }
}
