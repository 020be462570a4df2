package tally.server.web;

import java.math.BigDecimal;
import java.util.Map;

/** Go's time.ParseDuration, which exporter-toolkit's rate_limit interval uses: "1s", "1m30s", "1.5h", "500ms". */
final class GoDuration {
    private static final Map<String, Long> NANOS = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L, "μs", 1_000L, "ms", 1_000_000L,
            "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private GoDuration() {}

    static long parseMillis(String text) {
        String s = text.trim();
        boolean negative = s.startsWith("-");
        if (s.startsWith("-") || s.startsWith("+")) s = s.substring(1);
        if (s.equals("0")) return 0;
        if (s.isEmpty()) throw new IllegalArgumentException("invalid duration \"" + text + "\"");
        BigDecimal nanos = BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) i++;
            if (start == i) throw new IllegalArgumentException("invalid duration \"" + text + "\"");
            String number = s.substring(start, i);
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') i++;
            Long unit = NANOS.get(s.substring(unitStart, i));
            if (unit == null) {
                throw new IllegalArgumentException(unitStart == i ? "missing unit in duration \"" + text + "\""
                        : "unknown unit \"" + s.substring(unitStart, i) + "\" in duration \"" + text + "\"");
            }
            try {
                nanos = nanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unit)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid duration \"" + text + "\"");
            }
        }
        long ms = nanos.divide(BigDecimal.valueOf(1_000_000L), java.math.RoundingMode.DOWN).longValueExact();
        return negative ? -ms : ms;
    }
}
