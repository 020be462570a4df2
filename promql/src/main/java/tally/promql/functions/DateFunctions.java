package tally.promql.functions;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** {@code hour()}, {@code day_of_week()}, ...: calendar fields in UTC of a Unix time in seconds. */
public final class DateFunctions {
    private static final Map<String, ToDoubleFunction<ZonedDateTime>> BY_NAME = new HashMap<>();

    static {
        BY_NAME.put("year", ZonedDateTime::getYear);
        BY_NAME.put("month", ZonedDateTime::getMonthValue);
        BY_NAME.put("day_of_month", ZonedDateTime::getDayOfMonth);
        BY_NAME.put("day_of_year", ZonedDateTime::getDayOfYear);
        BY_NAME.put("day_of_week", t -> t.getDayOfWeek().getValue() % 7); // Sunday = 0 as in Go
        BY_NAME.put("hour", ZonedDateTime::getHour);
        BY_NAME.put("minute", ZonedDateTime::getMinute);
        BY_NAME.put("days_in_month", t -> t.toLocalDate().lengthOfMonth());
    }

    private DateFunctions() {}

    public static boolean isDateFunction(String name) {
        return BY_NAME.containsKey(name);
    }

    /** Applies a date function to a timestamp in seconds (fraction truncated toward zero, as Go's int64()). */
    public static double apply(String name, double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) return Double.NaN;
        try {
            ZonedDateTime t = Instant.ofEpochSecond((long) seconds).atZone(ZoneOffset.UTC);
            return BY_NAME.get(name).applyAsDouble(t);
        } catch (java.time.DateTimeException e) {
            return Double.NaN; // beyond the calendar Java can represent
        }
    }
}
