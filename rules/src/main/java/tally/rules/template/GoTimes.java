package tally.rules.template;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import tally.rules.template.GoValues.GoDuration;
import tally.rules.template.GoValues.GoInt;
import tally.rules.template.GoValues.GoTime;

/**
 * Go's time.Time (always UTC here, as Prometheus's toTime gives it) and time.Duration: layout formatting,
 * String(), and the methods a template may call on them ({@code .Format}, {@code .Unix}, {@code .Add}, ...).
 */
final class GoTimes {
    private GoTimes() {}

    static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July",
        "August", "September", "October", "November", "December"};
    static final String[] DAYS = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

    /** Seconds from year 1 to the Unix epoch: Go's zero Time is January 1, year 1. */
    private static final long UNIX_TO_ABSOLUTE = 62135596800L;

    static String monthName(long m) {
        return m >= 1 && m <= 12 ? MONTHS[(int) m - 1] : "%!Month(" + m + ")";
    }

    static String weekdayName(long d) {
        return d >= 0 && d <= 6 ? DAYS[(int) d] : "%!Weekday(" + d + ")";
    }

    private static LocalDateTime civil(GoTime t) {
        return LocalDateTime.ofEpochSecond(t.sec(), t.nsec(), ZoneOffset.UTC);
    }

    /** time.Time.String(). */
    static String string(GoTime t) {
        return format(t, "2006-01-02 15:04:05.999999999 -0700 MST");
    }

    /** time.Time.GoString(), used by %#v. */
    static String goString(GoTime t) {
        LocalDateTime c = civil(t);
        return "time.Date(" + c.getYear() + ", time." + MONTHS[c.getMonthValue() - 1] + ", " + c.getDayOfMonth() + ", "
                + c.getHour() + ", " + c.getMinute() + ", " + c.getSecond() + ", " + t.nsec() + ", time.UTC)";
    }

    // ---- layouts ----

    private enum Std {
        LONG_MONTH, MONTH, NUM_MONTH, ZERO_MONTH, LONG_WEEKDAY, WEEKDAY, DAY, UNDER_DAY, ZERO_DAY,
        UNDER_YEARDAY, ZERO_YEARDAY, HOUR, HOUR12, ZERO_HOUR12, MINUTE, ZERO_MINUTE, SECOND, ZERO_SECOND,
        LONG_YEAR, YEAR, PM, LOWER_PM, TZ, ISO_TZ, ISO_COLON_TZ, ISO_SECONDS_TZ, ISO_SHORT_TZ,
        ISO_COLON_SECONDS_TZ, NUM_TZ, NUM_SHORT_TZ, NUM_COLON_TZ, NUM_SECONDS_TZ, NUM_COLON_SECONDS_TZ,
        FRAC0, FRAC9
    }

    /** One layout element found by {@link #next}: literal text before it, the element, and where the rest starts. */
    private record Chunk(int prefixEnd, Std std, int suffix, int fracDigits, char fracSep) {}

    private static boolean lowerAt(String s, int i) {
        return i < s.length() && s.charAt(i) >= 'a' && s.charAt(i) <= 'z';
    }

    private static Chunk next(String l, int from) {
        for (int i = from; i < l.length(); i++) {
            char c = l.charAt(i);
            switch (c) {
                case 'J':
                    if (l.startsWith("Jan", i)) {
                        if (l.startsWith("January", i)) return new Chunk(i, Std.LONG_MONTH, i + 7, 0, '.');
                        if (!lowerAt(l, i + 3)) return new Chunk(i, Std.MONTH, i + 3, 0, '.');
                    }
                    break;
                case 'M':
                    if (l.startsWith("Mon", i)) {
                        if (l.startsWith("Monday", i)) return new Chunk(i, Std.LONG_WEEKDAY, i + 6, 0, '.');
                        if (!lowerAt(l, i + 3)) return new Chunk(i, Std.WEEKDAY, i + 3, 0, '.');
                    }
                    if (l.startsWith("MST", i)) return new Chunk(i, Std.TZ, i + 3, 0, '.');
                    break;
                case '0':
                    if (i + 1 < l.length() && l.charAt(i + 1) >= '1' && l.charAt(i + 1) <= '6') {
                        Std[] zx = {Std.ZERO_MONTH, Std.ZERO_DAY, Std.ZERO_HOUR12, Std.ZERO_MINUTE, Std.ZERO_SECOND, Std.YEAR};
                        return new Chunk(i, zx[l.charAt(i + 1) - '1'], i + 2, 0, '.');
                    }
                    if (l.startsWith("002", i)) return new Chunk(i, Std.ZERO_YEARDAY, i + 3, 0, '.');
                    break;
                case '1':
                    if (l.startsWith("15", i)) return new Chunk(i, Std.HOUR, i + 2, 0, '.');
                    return new Chunk(i, Std.NUM_MONTH, i + 1, 0, '.');
                case '2':
                    if (l.startsWith("2006", i)) return new Chunk(i, Std.LONG_YEAR, i + 4, 0, '.');
                    return new Chunk(i, Std.DAY, i + 1, 0, '.');
                case '_':
                    if (i + 1 < l.length() && l.charAt(i + 1) == '2') {
                        // "_2006" is a literal underscore followed by the year.
                        if (l.startsWith("2006", i + 1)) return new Chunk(i + 1, Std.LONG_YEAR, i + 5, 0, '.');
                        return new Chunk(i, Std.UNDER_DAY, i + 2, 0, '.');
                    }
                    if (l.startsWith("__2", i)) return new Chunk(i, Std.UNDER_YEARDAY, i + 3, 0, '.');
                    break;
                case '3':
                    return new Chunk(i, Std.HOUR12, i + 1, 0, '.');
                case '4':
                    return new Chunk(i, Std.MINUTE, i + 1, 0, '.');
                case '5':
                    return new Chunk(i, Std.SECOND, i + 1, 0, '.');
                case 'P':
                    if (l.startsWith("PM", i)) return new Chunk(i, Std.PM, i + 2, 0, '.');
                    break;
                case 'p':
                    if (l.startsWith("pm", i)) return new Chunk(i, Std.LOWER_PM, i + 2, 0, '.');
                    break;
                case '-':
                    if (l.startsWith("-070000", i)) return new Chunk(i, Std.NUM_SECONDS_TZ, i + 7, 0, '.');
                    if (l.startsWith("-07:00:00", i)) return new Chunk(i, Std.NUM_COLON_SECONDS_TZ, i + 9, 0, '.');
                    if (l.startsWith("-0700", i)) return new Chunk(i, Std.NUM_TZ, i + 5, 0, '.');
                    if (l.startsWith("-07:00", i)) return new Chunk(i, Std.NUM_COLON_TZ, i + 6, 0, '.');
                    if (l.startsWith("-07", i)) return new Chunk(i, Std.NUM_SHORT_TZ, i + 3, 0, '.');
                    break;
                case 'Z':
                    if (l.startsWith("Z070000", i)) return new Chunk(i, Std.ISO_SECONDS_TZ, i + 7, 0, '.');
                    if (l.startsWith("Z07:00:00", i)) return new Chunk(i, Std.ISO_COLON_SECONDS_TZ, i + 9, 0, '.');
                    if (l.startsWith("Z0700", i)) return new Chunk(i, Std.ISO_TZ, i + 5, 0, '.');
                    if (l.startsWith("Z07:00", i)) return new Chunk(i, Std.ISO_COLON_TZ, i + 6, 0, '.');
                    if (l.startsWith("Z07", i)) return new Chunk(i, Std.ISO_SHORT_TZ, i + 3, 0, '.');
                    break;
                case '.', ',':
                    if (i + 1 < l.length() && (l.charAt(i + 1) == '0' || l.charAt(i + 1) == '9')) {
                        char ch = l.charAt(i + 1);
                        int j = i + 1;
                        while (j < l.length() && l.charAt(j) == ch) j++;
                        // Only a run not followed by a digit is a fractional second.
                        if (!(j < l.length() && Character.isDigit(l.charAt(j)) && l.charAt(j) <= '9')) {
                            return new Chunk(i, ch == '0' ? Std.FRAC0 : Std.FRAC9, j, j - (i + 1), c);
                        }
                    }
                    break;
                default:
                    break;
            }
        }
        return new Chunk(l.length(), null, l.length(), 0, '.');
    }

    private static void appendInt(StringBuilder b, long x, int width) {
        String s = Long.toString(Math.abs(x));
        if (x < 0) b.append('-');
        for (int w = s.length(); w < width; w++) b.append('0');
        b.append(s);
    }

    /** time.Time.Format in UTC. */
    static String format(GoTime t, String layout) {
        LocalDateTime c = civil(t);
        StringBuilder b = new StringBuilder();
        int pos = 0;
        while (pos < layout.length()) {
            Chunk ch = next(layout, pos);
            b.append(layout, pos, ch.prefixEnd());
            if (ch.std() == null) break;
            pos = ch.suffix();
            int hour = c.getHour();
            switch (ch.std()) {
                case YEAR -> appendInt(b, Math.abs((long) c.getYear()) % 100, 2);
                case LONG_YEAR -> appendInt(b, c.getYear(), 4);
                case MONTH -> b.append(MONTHS[c.getMonthValue() - 1], 0, 3);
                case LONG_MONTH -> b.append(MONTHS[c.getMonthValue() - 1]);
                case NUM_MONTH -> appendInt(b, c.getMonthValue(), 0);
                case ZERO_MONTH -> appendInt(b, c.getMonthValue(), 2);
                case WEEKDAY -> b.append(DAYS[c.getDayOfWeek().getValue() % 7], 0, 3);
                case LONG_WEEKDAY -> b.append(DAYS[c.getDayOfWeek().getValue() % 7]);
                case DAY -> appendInt(b, c.getDayOfMonth(), 0);
                case UNDER_DAY -> {
                    if (c.getDayOfMonth() < 10) b.append(' ');
                    appendInt(b, c.getDayOfMonth(), 0);
                }
                case ZERO_DAY -> appendInt(b, c.getDayOfMonth(), 2);
                case UNDER_YEARDAY -> {
                    int yd = c.getDayOfYear();
                    if (yd < 100) b.append(yd < 10 ? "  " : " ");
                    appendInt(b, yd, 0);
                }
                case ZERO_YEARDAY -> appendInt(b, c.getDayOfYear(), 3);
                case HOUR -> appendInt(b, hour, 2);
                case HOUR12 -> appendInt(b, hour % 12 == 0 ? 12 : hour % 12, 0);
                case ZERO_HOUR12 -> appendInt(b, hour % 12 == 0 ? 12 : hour % 12, 2);
                case MINUTE -> appendInt(b, c.getMinute(), 0);
                case ZERO_MINUTE -> appendInt(b, c.getMinute(), 2);
                case SECOND -> appendInt(b, c.getSecond(), 0);
                case ZERO_SECOND -> appendInt(b, c.getSecond(), 2);
                case PM -> b.append(hour >= 12 ? "PM" : "AM");
                case LOWER_PM -> b.append(hour >= 12 ? "pm" : "am");
                // UTC: ISO forms print Z, numeric forms a zero offset, MST the zone name.
                case ISO_TZ, ISO_COLON_TZ, ISO_SECONDS_TZ, ISO_SHORT_TZ, ISO_COLON_SECONDS_TZ -> b.append('Z');
                case NUM_TZ -> b.append("+0000");
                case NUM_COLON_TZ -> b.append("+00:00");
                case NUM_SHORT_TZ -> b.append("+00");
                case NUM_SECONDS_TZ -> b.append("+000000");
                case NUM_COLON_SECONDS_TZ -> b.append("+00:00:00");
                case TZ -> b.append("UTC");
                case FRAC0, FRAC9 -> {
                    String digits = String.format("%09d", t.nsec());
                    int n = Math.min(ch.fracDigits(), 9);
                    if (ch.std() == Std.FRAC9) {
                        while (n > 0 && digits.charAt(n - 1) == '0') n--;
                        if (n == 0) break;
                    }
                    b.append(ch.fracSep()).append(digits, 0, n);
                }
                default -> throw new IllegalStateException();
            }
        }
        return b.toString();
    }

    // ---- durations ----

    /** time.Duration.String(): "1h2m3.5s", "1.5ms", "0s". */
    static String durationString(long d) {
        StringBuilder out = new StringBuilder();
        boolean neg = d < 0;
        // Unsigned magnitude: -MinInt64 stays representable as an unsigned value.
        long u = neg ? -d : d;
        if (Long.compareUnsigned(u, 1_000_000_000L) < 0) {
            if (u == 0) return "0s";
            int prec;
            String unit;
            if (u < 1_000L) {
                prec = 0;
                unit = "ns";
            } else if (u < 1_000_000L) {
                prec = 3;
                unit = "\u00b5s";
            } else {
                prec = 6;
                unit = "ms";
            }
            String[] r = frac(u, prec);
            out.append(Long.toUnsignedString(Long.parseUnsignedLong(r[0]))).append(r[1]).append(unit);
        } else {
            String[] r = frac(u, 9);
            long secs = Long.parseUnsignedLong(r[0]);
            StringBuilder s = new StringBuilder();
            s.append(Long.remainderUnsigned(secs, 60)).append(r[1]).append('s');
            long mins = Long.divideUnsigned(secs, 60);
            if (mins > 0) {
                s.insert(0, (mins % 60) + "m");
                long hours = mins / 60;
                if (hours > 0) s.insert(0, hours + "h");
            }
            out.append(s);
        }
        return (neg ? "-" : "") + out;
    }

    /** Splits v / 10^prec into its integer part and ".fraction" without trailing zeros (empty when zero). */
    private static String[] frac(long v, int prec) {
        StringBuilder f = new StringBuilder();
        boolean print = false;
        for (int i = 0; i < prec; i++) {
            long digit = Long.remainderUnsigned(v, 10);
            print = print || digit != 0;
            if (print) f.insert(0, (char) ('0' + digit));
            v = Long.divideUnsigned(v, 10);
        }
        return new String[] {Long.toUnsignedString(v), print ? "." + f : ""};
    }

    static double seconds(long d) {
        return (double) (d / 1_000_000_000L) + (double) (d % 1_000_000_000L) / 1e9;
    }

    /** Go converts an out-of-range or NaN float to int64 as the minimum int64 on amd64. */
    static long floatToInt64(double f) {
        if (Double.isNaN(f) || f >= 0x1p63 || f < -0x1p63) return Long.MIN_VALUE;
        return (long) f;
    }

    // ---- methods ----

    /** A method of time.Time, time.Duration, time.Month or time.Weekday bound to the receiver, or null. */
    static Func method(Object recv, String name) {
        if (recv instanceof GoTime t) return timeMethod(t, name);
        if (recv instanceof GoDuration d) return durationMethod(d.nanos(), name);
        if (recv instanceof GoInt i && (i.type().equals(GoType.MONTH) || i.type().equals(GoType.WEEKDAY)) && name.equals("String")) {
            return Func.of(a -> i.type().equals(GoType.MONTH) ? monthName(i.bits()) : weekdayName(i.bits()));
        }
        return null;
    }

    private static GoTime addNanos(GoTime t, long d) {
        long sec = t.sec() + d / 1_000_000_000L;
        long nsec = t.nsec() + d % 1_000_000_000L;
        return new GoTime(sec + Math.floorDiv(nsec, 1_000_000_000L), (int) Math.floorMod(nsec, 1_000_000_000L));
    }

    /** t.Sub(u), saturating like Go at the int64 bounds. */
    private static long sub(GoTime t, GoTime u) {
        java.math.BigInteger n = java.math.BigInteger.valueOf(t.sec() - u.sec()).multiply(java.math.BigInteger.valueOf(1_000_000_000L))
                .add(java.math.BigInteger.valueOf(t.nsec() - u.nsec()));
        if (n.bitLength() > 63) return n.signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        return n.longValue();
    }

    private static int cmp(GoTime a, GoTime b) {
        int c = Long.compare(a.sec(), b.sec());
        return c != 0 ? c : Integer.compare(a.nsec(), b.nsec());
    }

    /** Go's Truncate and Round work on the time since year 1. */
    private static GoTime roundTo(GoTime t, long d, boolean round) {
        if (d <= 0) return t;
        java.math.BigInteger abs = java.math.BigInteger.valueOf(t.sec() + UNIX_TO_ABSOLUTE).multiply(java.math.BigInteger.valueOf(1_000_000_000L))
                .add(java.math.BigInteger.valueOf(t.nsec()));
        long r = abs.mod(java.math.BigInteger.valueOf(d)).longValue();
        if (!round || Long.compareUnsigned(r + r, d) < 0) return addNanos(t, -r);
        return addNanos(t, d - r);
    }

    private static Func timeMethod(GoTime t, String name) {
        LocalDateTime c = civil(t);
        return switch (name) {
            case "String" -> Func.of(a -> string(t));
            case "Format" -> Func.of(a -> format(t, (String) a[0]), GoType.STRING);
            case "Unix" -> Func.of(a -> new GoInt(t.sec(), GoType.INT64));
            case "UnixMilli" -> Func.of(a -> new GoInt(t.sec() * 1000 + t.nsec() / 1_000_000, GoType.INT64));
            case "UnixMicro" -> Func.of(a -> new GoInt(t.sec() * 1_000_000 + t.nsec() / 1000, GoType.INT64));
            case "UnixNano" -> Func.of(a -> new GoInt(t.sec() * 1_000_000_000L + t.nsec(), GoType.INT64));
            case "Add" -> Func.of(a -> addNanos(t, ((GoDuration) a[0]).nanos()), GoType.DURATION);
            case "Sub" -> Func.of(a -> new GoDuration(sub(t, (GoTime) a[0])), GoType.TIME);
            case "AddDate" -> Func.of(a -> {
                LocalDate base = LocalDate.of(c.getYear(), 1, 1);
                long months = (long) c.getMonthValue() - 1 + (Long) a[1];
                LocalDate date = base.plusYears((Long) a[0]).plusMonths(months).plusDays(c.getDayOfMonth() - 1 + (Long) a[2]);
                LocalDateTime dt = date.atTime(c.toLocalTime());
                return new GoTime(dt.toEpochSecond(ZoneOffset.UTC), t.nsec());
            }, GoType.INT, GoType.INT, GoType.INT);
            case "UTC" -> Func.of(a -> t);
            case "Year" -> Func.of(a -> (long) c.getYear());
            case "Month" -> Func.of(a -> new GoInt(c.getMonthValue(), GoType.MONTH));
            case "Day" -> Func.of(a -> (long) c.getDayOfMonth());
            case "Hour" -> Func.of(a -> (long) c.getHour());
            case "Minute" -> Func.of(a -> (long) c.getMinute());
            case "Second" -> Func.of(a -> (long) c.getSecond());
            case "Nanosecond" -> Func.of(a -> (long) t.nsec());
            case "YearDay" -> Func.of(a -> (long) c.getDayOfYear());
            case "Weekday" -> Func.of(a -> new GoInt(c.getDayOfWeek().getValue() % 7, GoType.WEEKDAY));
            case "IsZero" -> Func.of(a -> t.sec() == -UNIX_TO_ABSOLUTE && t.nsec() == 0);
            case "Before" -> Func.of(a -> cmp(t, (GoTime) a[0]) < 0, GoType.TIME);
            case "After" -> Func.of(a -> cmp(t, (GoTime) a[0]) > 0, GoType.TIME);
            case "Equal" -> Func.of(a -> cmp(t, (GoTime) a[0]) == 0, GoType.TIME);
            case "Compare" -> Func.of(a -> (long) Integer.signum(cmp(t, (GoTime) a[0])), GoType.TIME);
            case "Truncate" -> Func.of(a -> roundTo(t, ((GoDuration) a[0]).nanos(), false), GoType.DURATION);
            case "Round" -> Func.of(a -> roundTo(t, ((GoDuration) a[0]).nanos(), true), GoType.DURATION);
            default -> null;
        };
    }

    private static Func durationMethod(long d, String name) {
        return switch (name) {
            case "String" -> Func.of(a -> durationString(d));
            case "Seconds" -> Func.of(a -> seconds(d));
            case "Minutes" -> Func.of(a -> (double) (d / 60_000_000_000L) + (double) (d % 60_000_000_000L) / (60 * 1e9));
            case "Hours" -> Func.of(a -> (double) (d / 3_600_000_000_000L) + (double) (d % 3_600_000_000_000L) / (60 * 60 * 1e9));
            case "Milliseconds" -> Func.of(a -> new GoInt(d / 1_000_000L, GoType.INT64));
            case "Microseconds" -> Func.of(a -> new GoInt(d / 1_000L, GoType.INT64));
            case "Nanoseconds" -> Func.of(a -> new GoInt(d, GoType.INT64));
            case "Abs" -> Func.of(a -> new GoDuration(d >= 0 ? d : d == Long.MIN_VALUE ? Long.MAX_VALUE : -d));
            case "Truncate" -> Func.of(a -> {
                long m = ((GoDuration) a[0]).nanos();
                return new GoDuration(m <= 0 ? d : d - d % m);
            }, GoType.DURATION);
            case "Round" -> Func.of(a -> new GoDuration(roundDuration(d, ((GoDuration) a[0]).nanos())), GoType.DURATION);
            default -> null;
        };
    }

    /** time.Duration.Round: halfway values round away from zero; overflow saturates. */
    private static long roundDuration(long d, long m) {
        if (m <= 0) return d;
        long r = d % m;
        if (d < 0) {
            r = -r;
            if (r + r < m) return d + r;
            long d1 = d - m + r;
            return d1 < d ? d1 : Long.MIN_VALUE;
        }
        if (r + r < m) return d - r;
        long d1 = d + m - r;
        return d1 > d ? d1 : Long.MAX_VALUE;
    }
}
