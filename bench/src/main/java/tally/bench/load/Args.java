package tally.bench.load;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name=value} command-line options with typed getters and defaults. */
final class Args {
    private final Map<String, String> values = new HashMap<>();

    Args(List<String> args) {
        for (String a : args) {
            if (!a.startsWith("--")) throw new IllegalArgumentException("expected --name=value, got " + a);
            int eq = a.indexOf('=');
            if (eq < 0) values.put(a.substring(2), "true");
            else values.put(a.substring(2, eq), a.substring(eq + 1));
        }
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String str(String name, String def) {
        return values.getOrDefault(name, def);
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null) throw new IllegalArgumentException("--" + name + " is required");
        return v;
    }

    int integer(String name, int def) {
        return has(name) ? Integer.parseInt(values.get(name)) : def;
    }

    long number(String name, long def) {
        return has(name) ? Long.parseLong(values.get(name)) : def;
    }

    /** Durations like 15s, 5m, 1h, 30d, or plain milliseconds. */
    long millis(String name, long def) {
        return has(name) ? parseMillis(values.get(name)) : def;
    }

    /** An ISO-8601 instant, {@code now}, or {@code now-<duration>} (e.g. {@code now-2500m}: a backfill up to now). */
    long instantMillis(String name, String def) {
        String v = str(name, def);
        if (v.equals("now")) return System.currentTimeMillis();
        if (v.startsWith("now-")) return System.currentTimeMillis() - parseMillis(v.substring(4));
        return Instant.parse(v).toEpochMilli();
    }

    static long parseMillis(String v) {
        char unit = v.charAt(v.length() - 1);
        if (Character.isDigit(unit)) return Long.parseLong(v);
        long n = Long.parseLong(v.substring(0, v.length() - (v.endsWith("ms") ? 2 : 1)));
        if (v.endsWith("ms")) return n;
        switch (unit) {
            case 's': return Duration.ofSeconds(n).toMillis();
            case 'm': return Duration.ofMinutes(n).toMillis();
            case 'h': return Duration.ofHours(n).toMillis();
            case 'd': return Duration.ofDays(n).toMillis();
            default: throw new IllegalArgumentException("bad duration " + v);
        }
    }
}
