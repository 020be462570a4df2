package tally.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RegexBudgetTest {
    /** A 16 KiB label value (the ingest limit) against a loop over an alternation overflowed java.util.regex's stack. */
    @Test
    void aLoopOverAnAlternationOnALongValueIsRefusedNotAStackOverflow() {
        Matcher m = Matcher.of(MatchType.REGEX, "x", "(a|b)*");
        assertThrows(QueryLimitException.class, () -> m.matches("ab".repeat(8192)));
        assertTrue(m.matches("ab".repeat(100)));
    }

    /** Backtracking that RE2 does not have: 11 s for 50 characters before, hours for 100; refused at once now. */
    @Test
    void catastrophicBacktrackingIsRefused() {
        Matcher m = Matcher.of(MatchType.REGEX, "x", "(.*a){8}x");
        QueryLimitException e = assertThrows(QueryLimitException.class, () -> m.matches("a".repeat(100)));
        assertTrue(e.getMessage().startsWith("regular expression \""), e.getMessage());
        assertFalse(e.retryable());
    }

    @Test
    void ordinaryRegexesOnLongValuesStillMatch() {
        String v = "x".repeat(16_000) + "claude-sonnet" + "y".repeat(300);
        assertTrue(Matcher.of(MatchType.REGEX, "x", ".*sonnet.*").matches(v));
        assertTrue(Matcher.of(MatchType.REGEX, "x", ".+").matches(v));
        assertFalse(Matcher.of(MatchType.REGEX, "x", "(opus|haiku).*").matches(v));
        assertTrue(Matcher.of(MatchType.NOT_REGEX, "x", "(opus|haiku).*").matches(v));
    }
}
