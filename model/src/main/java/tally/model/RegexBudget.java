package tally.model;

import java.util.regex.Pattern;

/**
 * Runs a java.util.regex match with a bounded amount of work. Prometheus's regexes are RE2, linear in the input;
 * Tally compiles them to java.util.regex ({@link Re2}), which backtracks: {@code (.*a){8}x} against a 50-character
 * label value took 11 s (a hundred characters: hours, past any query timeout), and {@code (a|b)*} overflowed the
 * stack on a 4,000-character value (label values may have 16 KiB), an HTTP 500 on /api/v1/series. A match may
 * read at most 1 M characters plus 1,000 per character of the value, a few milliseconds (ordinary regexes
 * read a few per character); past that, or on a stack overflow, it fails with a {@link QueryLimitException} (HTTP
 * 422). Prometheus answers such queries (RE2 is linear); Tally refuses them with a message instead of hanging.
 */
public final class RegexBudget implements CharSequence {
    private static final long BASE = 1_000_000;
    private static final long PER_CHAR = 1_000;

    /** Thrown by charAt when the budget is spent; turned into a QueryLimitException by the callers below. */
    private static final class Spent extends RuntimeException {
        Spent() {
            super(null, null, false, false);
        }
    }

    private final String s;
    private long left;

    private RegexBudget(String s) {
        this.s = s;
        this.left = BASE + PER_CHAR * s.length();
    }

    /** Whether the whole value matches. @throws QueryLimitException when the match needs more than its budget */
    public static boolean matches(Pattern p, String value) {
        return matcher(p, value, m -> m.matches());
    }

    /** A step of work on a matcher over the value, within the budget (label_replace reads groups after matching). */
    public interface Step<T> {
        T run(java.util.regex.Matcher m);
    }

    /** Runs {@code step} on a matcher of {@code p} over {@code value}, within the value's budget. */
    public static <T> T matcher(Pattern p, String value, Step<T> step) {
        try {
            return step.run(p.matcher(new RegexBudget(value)));
        } catch (Spent | StackOverflowError e) {
            throw new QueryLimitException("regular expression " + LabelNames.quote(p.pattern()) + " needs too much work on a label value of "
                    + value.length() + " characters (java.util.regex backtracks; simplify the regex)", false);
        }
    }

    @Override
    public char charAt(int index) {
        if (--left < 0) throw new Spent();
        return s.charAt(index);
    }

    @Override
    public int length() {
        return s.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return s.subSequence(start, end);
    }

    @Override
    public String toString() {
        return s;
    }
}
