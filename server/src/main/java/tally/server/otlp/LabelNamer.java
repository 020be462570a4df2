package tally.server.otlp;

import java.util.concurrent.ConcurrentHashMap;

/**
 * OTLP attribute key -> Prometheus label name: characters outside [a-zA-Z0-9] become '_' with runs
 * collapsed ({@code __reserved__} names keep their double underscores), a leading digit gets
 * {@code key_}. Names that end up empty or only underscores are invalid (null).
 */
public final class LabelNamer {
    private static final int MAX_CACHED = 100_000;
    private final ConcurrentHashMap<String, String> cache = new ConcurrentHashMap<>();

    public String name(String key) {
        String cached = cache.get(key);
        if (cached != null) return cached.isEmpty() ? null : cached;
        String built = build(key);
        if (cache.size() >= MAX_CACHED) cache.clear();
        cache.put(key, built == null ? "" : built);
        return built;
    }

    static String build(String key) {
        if (key.isEmpty()) return null;
        boolean reserved = key.length() >= 4 && key.startsWith("__") && key.endsWith("__");
        String body = reserved ? key.substring(2, key.length() - 2) : key;
        StringBuilder sb = new StringBuilder(key.length() + 4);
        boolean prevUnderscore = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                sb.append(c);
                prevUnderscore = false;
            } else if (!prevUnderscore) {
                sb.append('_');
                prevUnderscore = true;
            }
        }
        String name = reserved ? "__" + sb + "__" : sb.toString();
        if (!name.isEmpty() && Character.isDigit(name.charAt(0))) name = "key_" + name;
        if (name.chars().allMatch(c -> c == '_')) return null;
        return name;
    }
}
