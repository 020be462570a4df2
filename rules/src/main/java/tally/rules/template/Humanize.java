package tally.rules.template;

import java.util.List;

/** Prometheus's humanize, humanize1024 and humanizeDuration number formatting, and parseDuration. */
final class Humanize {
    private Humanize() {}

    private static String g4(double v, String suffix) {
        return GoFmt.sprintf("%.4g", List.of(v)) + suffix;
    }

    /** SI prefixes: 1.235M, 120m; zero, NaN and Inf as plain %.4g. */
    static String humanize(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) return g4(v, "");
        if (Math.abs(v) >= 1) {
            String prefix = "";
            for (String p : new String[] {"k", "M", "G", "T", "P", "E", "Z", "Y"}) {
                if (Math.abs(v) < 1000) break;
                prefix = p;
                v /= 1000;
            }
            return g4(v, prefix);
        }
        String prefix = "";
        for (String p : new String[] {"m", "u", "n", "p", "f", "a", "z", "y"}) {
            if (Math.abs(v) >= 1) break;
            prefix = p;
            v *= 1000;
        }
        return g4(v, prefix);
    }

    /** Binary prefixes: 1Mi, 1.177Mi; magnitudes up to 1 unchanged. */
    static String humanize1024(double v) {
        if (Math.abs(v) <= 1 || Double.isNaN(v) || Double.isInfinite(v)) return g4(v, "");
        String prefix = "";
        for (String p : new String[] {"ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"}) {
            if (Math.abs(v) < 1024) break;
            prefix = p;
            v /= 1024;
        }
        return g4(v, prefix);
    }

    /** "1d 2h 3m 4s" from a second on; below, 4 significant digits with ms, us, ... */
    static String duration(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return g4(v, "");
        if (v == 0) return g4(v, "s");
        if (Math.abs(v) >= 1) {
            String sign = "";
            if (v < 0) {
                sign = "-";
                v = -v;
            }
            long d = GoTimes.floatToInt64(v);
            long seconds = d % 60;
            long minutes = (d / 60) % 60;
            long hours = (d / 60 / 60) % 24;
            long days = d / 60 / 60 / 24;
            if (days != 0) return sign + days + "d " + hours + "h " + minutes + "m " + seconds + "s";
            if (hours != 0) return sign + hours + "h " + minutes + "m " + seconds + "s";
            if (minutes != 0) return sign + minutes + "m " + seconds + "s";
            return sign + g4(v, "s");
        }
        String prefix = "";
        for (String p : new String[] {"m", "u", "n", "p", "f", "a", "z", "y"}) {
            if (Math.abs(v) >= 1) break;
            prefix = p;
            v *= 1000;
        }
        return g4(v, prefix + "s");
    }

    private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
    private static final long[] UNIT_NANOS = {365L * 24 * 3600_000_000_000L, 7L * 24 * 3600_000_000_000L,
        24L * 3600_000_000_000L, 3600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L};

    /** model.ParseDurationAllowNegative, in seconds. */
    static double parseDuration(String s) throws Func.CallError {
        boolean neg = !s.isEmpty() && s.charAt(0) == '-';
        long nanos = parseModelDuration(neg ? s.substring(1) : s);
        return (double) (neg ? -nanos : nanos) / 1e9;
    }

    private static long parseModelDuration(String s) throws Func.CallError {
        if (s.equals("0")) return 0;
        if (s.isEmpty()) throw new Func.CallError("empty duration string");
        String orig = s;
        String invalid = "not a valid duration string: " + GoStrconv.quote(orig);
        java.math.BigInteger dur = java.math.BigInteger.ZERO;
        java.math.BigInteger max = java.math.BigInteger.valueOf(Long.MAX_VALUE);
        int lastUnit = -1;
        int i = 0;
        while (i < s.length()) {
            if (!isDigit(s.charAt(i))) throw new Func.CallError(invalid);
            int start = i;
            while (i < s.length() && isDigit(s.charAt(i))) i++;
            java.math.BigInteger v = new java.math.BigInteger(s.substring(start, i));
            if (v.bitLength() > 64) throw new Func.CallError(invalid);
            int ustart = i;
            while (i < s.length() && !isDigit(s.charAt(i))) i++;
            if (i == ustart) throw new Func.CallError(invalid);
            String u = s.substring(ustart, i);
            int unit = -1;
            for (int k = 0; k < UNITS.length; k++) if (UNITS[k].equals(u)) unit = k;
            if (unit < 0) throw new Func.CallError("unknown unit " + GoStrconv.quote(u) + " in duration " + GoStrconv.quote(orig));
            if (unit <= lastUnit) throw new Func.CallError(invalid);
            lastUnit = unit;
            java.math.BigInteger mult = java.math.BigInteger.valueOf(UNIT_NANOS[unit]);
            if (v.compareTo(java.math.BigInteger.ONE.shiftLeft(63).divide(mult)) > 0) throw new Func.CallError("duration out of range");
            dur = dur.add(v.multiply(mult));
            if (dur.compareTo(max) > 0) throw new Func.CallError("duration out of range");
        }
        return dur.longValue();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
