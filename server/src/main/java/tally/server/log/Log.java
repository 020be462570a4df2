package tally.server.log;

import java.io.PrintStream;
import java.time.Instant;

/**
 * Structured logging without a framework: one line per event on stderr,
 * {@code ts=... level=... msg="..." key=value ...} (logfmt, as Prometheus prints).
 */
public final class Log {
    public enum Level { DEBUG, INFO, WARN, ERROR }

    private static volatile Level threshold = Level.INFO;
    private static volatile PrintStream out = System.err;

    private Log() {}

    public static void setLevel(Level level) { threshold = level; }

    public static void setOutput(PrintStream stream) { out = stream; }

    public static void debug(String msg, Object... kv) { log(Level.DEBUG, msg, kv); }
    public static void info(String msg, Object... kv) { log(Level.INFO, msg, kv); }
    public static void warn(String msg, Object... kv) { log(Level.WARN, msg, kv); }
    public static void error(String msg, Object... kv) { log(Level.ERROR, msg, kv); }

    public static boolean enabled(Level level) { return level.ordinal() >= threshold.ordinal(); }

    public static void log(Level level, String msg, Object... kv) {
        if (!enabled(level)) return;
        StringBuilder sb = new StringBuilder(96);
        sb.append("ts=").append(Instant.now()).append(" level=").append(level.name().toLowerCase());
        sb.append(" msg=");
        appendValue(sb, msg);
        for (int i = 0; i + 1 < kv.length; i += 2) {
            sb.append(' ').append(kv[i]).append('=');
            appendValue(sb, String.valueOf(kv[i + 1]));
        }
        out.println(sb);
    }

    /** Quotes values that contain spaces, quotes or '=' so every line stays machine-parsable. */
    static void appendValue(StringBuilder sb, String v) {
        boolean quote = v.isEmpty();
        for (int i = 0; i < v.length() && !quote; i++) {
            char c = v.charAt(i);
            quote = c <= ' ' || c == '"' || c == '=';
        }
        if (!quote) {
            sb.append(v);
            return;
        }
        sb.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c == '\n') sb.append("\\n");
            else sb.append(c);
        }
        sb.append('"');
    }
}
