package tally.server.otlp;

/**
 * Refuses OTLP/JSON numbers that would cost protobuf's JsonFormat seconds to minutes of CPU before it rejects them:
 * it turns 64- and 32-bit integer fields into a BigDecimal and a BigInteger, so {@code "timeUnixNano": "1e99999999"}
 * (ten characters) took 110 s and a number of a million digits 17 s (found by fuzzing OTLP/HTTP). A numeric token,
 * bare or as a whole string, with an exponent of more than four digits or more than 1,000 characters is refused
 * here, in one linear pass; no OTLP value needs either (a double's exponent has at most three digits).
 */
final class JsonNumberGuard {
    static final int MAX_NUMBER_CHARS = 1000;
    static final int MAX_EXPONENT_DIGITS = 4;

    private JsonNumberGuard() {}

    /** The first offending number, described, or null when there is none. */
    static String problem(String json) {
        int n = json.length();
        for (int i = 0; i < n; i++) {
            char c = json.charAt(i);
            if (!startsNumber(c) || (i > 0 && !boundary(json.charAt(i - 1)))) continue;
            int start = i;
            if (c == '-' || c == '+') i++;
            int digits = 0;
            while (i < n && (isDigit(json.charAt(i)) || json.charAt(i) == '.')) {
                i++;
                digits++;
            }
            int exponentDigits = 0;
            if (digits > 0 && i < n && (json.charAt(i) == 'e' || json.charAt(i) == 'E')) {
                i++;
                if (i < n && (json.charAt(i) == '-' || json.charAt(i) == '+')) i++;
                while (i < n && isDigit(json.charAt(i))) {
                    i++;
                    exponentDigits++;
                }
            }
            boolean whole = digits > 0 && (i == n || boundary(json.charAt(i)));
            if (whole && (i - start > MAX_NUMBER_CHARS || exponentDigits > MAX_EXPONENT_DIGITS)) {
                String shown = i - start > 40 ? json.substring(start, start + 20) + "..." : json.substring(start, i);
                return "number " + shown + " (" + (i - start) + " characters) is out of range: at most " + MAX_NUMBER_CHARS
                        + " characters and " + MAX_EXPONENT_DIGITS + " exponent digits";
            }
            i = Math.max(i - 1, start); // the loop's i++ moves past what was read
        }
        return null;
    }

    private static boolean startsNumber(char c) {
        return isDigit(c) || c == '-' || c == '+' || c == '.';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** What may stand before or after a JSON number token, or around a string holding only a number. */
    private static boolean boundary(char c) {
        return c == '"' || c == ':' || c == ',' || c == '[' || c == ']' || c == '{' || c == '}' || c == ' ' || c == '\n'
                || c == '\r' || c == '\t';
    }
}
