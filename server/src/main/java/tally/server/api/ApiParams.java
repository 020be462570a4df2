package tally.server.api;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import tally.promql.ast.Durations;

/**
 * Request parameters of the query API (query string and form body merged), with Prometheus's
 * parsing rules and error wording for times, durations and limits.
 */
public final class ApiParams {
    /** Prometheus's stand-ins for "no bound" (minTime/maxTime in its API). */
    public static final long MIN_TIME_MS = -9_223_309_901_257_974L;
    public static final long MAX_TIME_MS = 9_223_309_901_257_974L;

    private final Map<String, List<String>> params;

    public ApiParams(Map<String, List<String>> params) {
        this.params = params;
    }

    public String get(String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    public List<String> all(String name) {
        List<String> v = params.get(name);
        return v == null ? List.of() : v;
    }

    public String required(String name) {
        String v = get(name);
        if (v == null || v.isEmpty()) throw ApiError.badData("invalid parameter \"" + name + "\": missing");
        return v;
    }

    /** A time: float Unix seconds or RFC3339; {@code dflt} when absent. */
    public long time(String name, long dflt) {
        String v = get(name);
        return v == null || v.isEmpty() ? dflt : time(name, v);
    }

    /** A time that must be given (query_range's start and end). */
    public long requiredTime(String name) {
        String v = get(name);
        if (v == null || v.isEmpty()) throw ApiError.badData("invalid parameter \"" + name + "\": cannot parse \"\" to a valid timestamp");
        return time(name, v);
    }

    private static long time(String name, String v) {
        try {
            return parseTime(v);
        } catch (IllegalArgumentException e) {
            throw ApiError.badData("invalid parameter \"" + name + "\": cannot parse \"" + v + "\" to a valid timestamp");
        }
    }

    /** A duration: float seconds or a Prometheus duration ("15s", "1m0s"). */
    public long duration(String name) {
        return duration(name, required(name));
    }

    /** A duration, {@code dflt} when absent. */
    public long duration(String name, long dflt) {
        String v = get(name);
        return v == null || v.isEmpty() ? dflt : duration(name, v);
    }

    private static long duration(String name, String v) {
        try {
            return parseDuration(v);
        } catch (IllegalArgumentException e) {
            throw ApiError.badData("invalid parameter \"" + name + "\": cannot parse \"" + v + "\" to a valid duration");
        }
    }

    /** A non-negative limit, 0 (no limit) when absent. */
    public int limit() {
        String v = get("limit");
        if (v == null || v.isEmpty()) return 0;
        try {
            int n = Integer.parseInt(v);
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw ApiError.badData("invalid parameter \"limit\": cannot parse \"" + v + "\": must be a non-negative integer");
        }
    }

    static long parseTime(String s) {
        try {
            double secs = Double.parseDouble(s);
            if (Double.isNaN(secs) || Double.isInfinite(secs)) throw new IllegalArgumentException(s);
            // round like Prometheus: seconds and nanoseconds separately, to the millisecond
            double whole = Math.floor(secs);
            long ms = (long) whole * 1000 + Math.round((secs - whole) * 1000);
            return ms;
        } catch (NumberFormatException e) {
            // not a number: RFC3339
        }
        if (s.equals("-292273086-05-16T16:47:06Z")) return MIN_TIME_MS;
        if (s.equals("292277025-08-18T07:12:54.999999999Z")) return MAX_TIME_MS;
        try {
            return OffsetDateTime.parse(s).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    static long parseDuration(String s) {
        try {
            double secs = Double.parseDouble(s);
            if (Double.isNaN(secs) || Double.isInfinite(secs) || secs * 1000 > Long.MAX_VALUE || secs * 1000 < Long.MIN_VALUE) {
                throw new IllegalArgumentException(s);
            }
            return Math.round(secs * 1000);
        } catch (NumberFormatException e) {
            return Durations.parseMillis(s);
        }
    }
}
