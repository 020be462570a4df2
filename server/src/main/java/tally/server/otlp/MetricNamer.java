package tally.server.otlp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OTLP metric name + unit + kind -> Prometheus metric name, following Prometheus's
 * {@code UnderscoreEscapingWithSuffixes} strategy: split the name on characters outside
 * [a-zA-Z0-9:], add the unit word (unless already a token), move {@code total} to the end of
 * monotonic counters and {@code ratio} to the end of unit-"1" gauges, join with '_'.
 */
public final class MetricNamer {
    private static final Map<String, String> UNITS = Map.ofEntries(
            Map.entry("d", "days"), Map.entry("h", "hours"), Map.entry("min", "minutes"), Map.entry("s", "seconds"),
            Map.entry("ms", "milliseconds"), Map.entry("us", "microseconds"), Map.entry("ns", "nanoseconds"),
            Map.entry("By", "bytes"), Map.entry("KiBy", "kibibytes"), Map.entry("MiBy", "mebibytes"),
            Map.entry("GiBy", "gibibytes"), Map.entry("TiBy", "tibibytes"), Map.entry("KBy", "kilobytes"),
            Map.entry("MBy", "megabytes"), Map.entry("GBy", "gigabytes"), Map.entry("TBy", "terabytes"),
            Map.entry("m", "meters"), Map.entry("V", "volts"), Map.entry("A", "amperes"), Map.entry("J", "joules"),
            Map.entry("W", "watts"), Map.entry("g", "grams"), Map.entry("Cel", "celsius"), Map.entry("Hz", "hertz"),
            Map.entry("1", ""), Map.entry("%", "percent"));
    private static final Map<String, String> PER_UNITS = Map.of(
            "s", "second", "m", "minute", "h", "hour", "d", "day", "w", "week", "mo", "month", "y", "year");

    private record Key(String name, String unit, MetricKind kind) {}

    private final ConcurrentHashMap<Key, String> cache = new ConcurrentHashMap<>();

    /** The Prometheus name, or null when nothing valid remains (e.g. a name of only dots). */
    public String name(String otelName, String unit, MetricKind kind) {
        Key k = new Key(otelName, unit, kind);
        String cached = cache.get(k);
        if (cached != null) return cached.isEmpty() ? null : cached;
        String built = build(otelName, unit, kind);
        if (cache.size() > 50_000) cache.clear();
        cache.put(k, built == null ? "" : built);
        return built;
    }

    static String build(String otelName, String unit, MetricKind kind) {
        List<String> tokens = split(otelName);
        String[] suffixes = unitSuffixes(unit);
        String main = cleanUnit(suffixes[0]);
        String per = cleanUnit(suffixes[1]);
        if (tokens.contains(main)) main = "";
        if (per.equals("per_")) {
            per = "";
        } else {
            if (per.endsWith("_")) per = per.substring(0, per.length() - 1);
            if (tokens.contains(per)) per = "";
        }
        if (!per.isEmpty() && main.endsWith("_")) main = main.substring(0, main.length() - 1);
        if (!main.isEmpty()) tokens.add(main);
        if (!per.isEmpty()) tokens.add(per);
        if (kind == MetricKind.MONOTONIC_COUNTER) {
            tokens.removeIf("total"::equals);
            tokens.add("total");
        }
        if ("1".equals(unit) && kind == MetricKind.GAUGE) {
            tokens.removeIf("ratio"::equals);
            tokens.add("ratio");
        }
        String name = String.join("_", tokens);
        if (!name.isEmpty() && Character.isDigit(name.charAt(0))) name = "_" + name;
        if (name.isEmpty() || name.chars().allMatch(c -> c == '_')) return null;
        return name;
    }

    /** The unit as Prometheus metadata shows it ("seconds", "bytes_per_second", "USD"); "" for none. */
    public static String unitName(String unit) {
        String[] s = unitSuffixes(unit);
        String main = cleanUnit(s[0]);
        String per = cleanUnit(s[1]);
        String u = !main.isEmpty() && !per.isEmpty() ? main + "_" + per : !main.isEmpty() ? main : per;
        if (u.startsWith("_")) u = u.substring(1);
        if (u.endsWith("_")) u = u.substring(0, u.length() - 1);
        return u;
    }

    private static List<String> split(String name) {
        List<String> tokens = new ArrayList<>(8);
        int start = -1;
        for (int i = 0; i <= name.length(); i++) {
            boolean valid = i < name.length() && validMetricChar(name.charAt(i));
            if (valid && start < 0) start = i;
            if (!valid && start >= 0) {
                tokens.add(name.substring(start, i));
                start = -1;
            }
        }
        return tokens;
    }

    /** [main, per] before cleaning: main mapped through the unit table, per as "per_<word>"; {...} annotations drop out. */
    private static String[] unitSuffixes(String unit) {
        String main = "";
        String per = "";
        if (unit == null) unit = "";
        int slash = unit.indexOf('/');
        String mainOtel = (slash < 0 ? unit : unit.substring(0, slash)).strip();
        if (!mainOtel.isEmpty() && mainOtel.indexOf('{') < 0 && mainOtel.indexOf('}') < 0) {
            main = UNITS.getOrDefault(mainOtel, mainOtel);
        }
        if (slash >= 0 && slash + 1 < unit.length()) {
            String perOtel = unit.substring(slash + 1).strip();
            if (!perOtel.isEmpty() && perOtel.indexOf('{') < 0 && perOtel.indexOf('}') < 0) {
                per = PER_UNITS.getOrDefault(perOtel, perOtel);
            }
            if (!per.isEmpty()) per = "per_" + per;
        }
        return new String[] {main, per};
    }

    /** Invalid characters become '_', runs of '_' collapse, a leading '_' goes. */
    private static String cleanUnit(String unit) {
        StringBuilder sb = new StringBuilder(unit.length());
        for (int i = 0; i < unit.length(); i++) {
            char c = validMetricChar(unit.charAt(i)) ? unit.charAt(i) : '_';
            if (c == '_' && sb.length() > 0 && sb.charAt(sb.length() - 1) == '_') continue;
            sb.append(c);
        }
        if (sb.length() > 0 && sb.charAt(0) == '_') sb.deleteCharAt(0);
        return sb.toString();
    }

    private static boolean validMetricChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':';
    }
}
