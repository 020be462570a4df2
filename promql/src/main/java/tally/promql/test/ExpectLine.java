package tally.promql.test;

import java.util.regex.Pattern;

/**
 * An {@code expect fail|warn|info} line: an exact {@code msg:}, a {@code regex:} (unanchored search,
 * as Go's MatchString), or neither (matches anything).
 */
public record ExpectLine(String message, Pattern regex) {
    public static final ExpectLine ANY = new ExpectLine(null, Pattern.compile("(?s)^.*$"));

    public boolean matches(String text) {
        return regex == null ? message.equals(text) : regex.matcher(text).find();
    }

    @Override
    public String toString() {
        return regex == null ? "message \"" + message + "\"" : "pattern \"" + regex.pattern() + "\"";
    }
}
