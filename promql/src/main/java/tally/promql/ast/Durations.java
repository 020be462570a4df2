package tally.promql.ast;

/** Prometheus duration text: parse {@code 1h30m}, {@code 90s}, {@code 1m0s}; print the shortest canonical form. */
public final class Durations {
    private static final long[] UNIT_MS = {365L * 24 * 3600_000, 7L * 24 * 3600_000, 24L * 3600_000, 3600_000, 60_000, 1000, 1};
    private static final String[] UNIT = {"y", "w", "d", "h", "m", "s", "ms"};

    private Durations() {}

    /**
     * Parses a duration such as {@code 5m}, {@code 1h30m}, {@code 1m0s}, {@code 250ms}. Units must appear
     * in decreasing order, each at most once.
     *
     * @throws IllegalArgumentException with Prometheus's wording when malformed
     * @throws ArithmeticException when it does not fit in a long of milliseconds
     */
    public static long parseMillis(String s) {
        if (s.equals("0")) return 0;
        if (s.isEmpty()) throw new IllegalArgumentException("empty duration string");
        long total = 0;
        int i = 0;
        int lastUnit = -1;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
            if (start == i) throw new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
            long n;
            try {
                n = Long.parseLong(s.substring(start, i));
            } catch (NumberFormatException tooManyDigits) {
                throw new ArithmeticException("duration out of range"); // what callers report for overflow
            }
            int unit = -1;
            if (s.startsWith("ms", i)) {
                unit = 6;
            } else {
                for (int u = 0; u < 6; u++) {
                    if (s.startsWith(UNIT[u], i)) {
                        unit = u;
                        break;
                    }
                }
            }
            if (unit < 0) throw new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
            if (unit <= lastUnit) throw new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
            lastUnit = unit;
            i += UNIT[unit].length();
            total = Math.addExact(total, Math.multiplyExact(n, UNIT_MS[unit]));
        }
        return total;
    }

    /** Prints like Prometheus's model.Duration: {@code 1h30m}, {@code 5m}, {@code 0s}; negative with a leading minus. */
    public static String format(long ms) {
        if (ms == 0) return "0s";
        StringBuilder sb = new StringBuilder();
        if (ms < 0) {
            sb.append('-');
            ms = -ms;
        }
        for (int u = 0; u < UNIT.length; u++) {
            long n = ms / UNIT_MS[u];
            if (n > 0) {
                sb.append(n).append(UNIT[u]);
                ms -= n * UNIT_MS[u];
            }
        }
        return sb.toString();
    }
}
