package tally.server.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses Prometheus-style durations ({@code 90d}, {@code 1h30m}, {@code 500ms}) and byte sizes ({@code 32MiB}). */
public final class Units {
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|y|w|d|h|m|s)");
    private static final Pattern BYTES = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB|KiB|MiB|GiB|k|K|M|G)?");

    private Units() {}

    public static Duration parseDuration(String s) {
        if (s.equals("0")) return Duration.ZERO;
        Matcher m = DURATION_PART.matcher(s);
        long millis = 0;
        int pos = 0;
        while (pos < s.length()) {
            if (!m.find(pos) || m.start() != pos) throw new IllegalArgumentException("not a duration: \"" + s + "\" (use e.g. 90d, 12h, 1h30m)");
            long n = Long.parseLong(m.group(1));
            long unit = switch (m.group(2)) {
                case "ms" -> 1L;
                case "s" -> 1000L;
                case "m" -> 60_000L;
                case "h" -> 3_600_000L;
                case "d" -> 86_400_000L;
                case "w" -> 7 * 86_400_000L;
                default -> 365 * 86_400_000L; // y
            };
            millis = Math.addExact(millis, Math.multiplyExact(n, unit));
            pos = m.end();
        }
        if (pos == 0) throw new IllegalArgumentException("not a duration: \"" + s + "\"");
        return Duration.ofMillis(millis);
    }

    public static long parseBytes(String s) {
        Matcher m = BYTES.matcher(s.trim());
        if (!m.matches()) throw new IllegalArgumentException("not a byte size: \"" + s + "\" (use e.g. 32MiB, 1048576)");
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2);
        long mult = switch (unit) {
            case "KB" -> 1000L;
            case "MB" -> 1000_000L;
            case "GB" -> 1000_000_000L;
            case "KiB", "k", "K" -> 1L << 10;
            case "MiB", "M" -> 1L << 20;
            case "GiB", "G" -> 1L << 30;
            default -> 1L;
        };
        return Math.multiplyExact(n, mult);
    }

    /** {@code host:port}; an empty host means all interfaces. */
    public static java.net.InetSocketAddress parseAddress(String s) {
        int colon = s.lastIndexOf(':');
        if (colon < 0) throw new IllegalArgumentException("not host:port: \"" + s + "\"");
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in \"" + s + "\"");
        }
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range in \"" + s + "\"");
        return host.isEmpty() ? new java.net.InetSocketAddress(port) : new java.net.InetSocketAddress(host, port);
    }
}
