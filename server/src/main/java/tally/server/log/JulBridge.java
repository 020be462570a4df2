package tally.server.log;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Sends java.util.logging (used by the storage module through System.Logger, and by Chronicle Map
 * through SLF4J) to {@link Log}, so every line the server prints has the same logfmt shape.
 */
public final class JulBridge extends Handler {
    /**
     * Netty's HTTP/2 codec logs at INFO every frame it drops for a stream already reset, which is every early gRPC
     * error reply: per-request noise a sender could flood the log with. Held here because JUL keeps loggers weakly.
     */
    private static final Logger NETTY_HTTP2 = Logger.getLogger("io.netty.handler.codec.http2");

    private JulBridge() {}

    public static void install() {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(Level.INFO);
        root.addHandler(new JulBridge());
        NETTY_HTTP2.setLevel(Level.WARNING);
    }

    @Override
    public void publish(LogRecord r) {
        Log.Level level = r.getLevel().intValue() >= Level.SEVERE.intValue() ? Log.Level.ERROR
                : r.getLevel().intValue() >= Level.WARNING.intValue() ? Log.Level.WARN
                : r.getLevel().intValue() >= Level.INFO.intValue() ? Log.Level.INFO : Log.Level.DEBUG;
        if (!Log.enabled(level)) return;
        String msg = r.getMessage();
        if (r.getParameters() != null && msg != null && msg.contains("{0")) {
            msg = java.text.MessageFormat.format(msg, r.getParameters());
        }
        if (r.getThrown() != null) {
            Log.log(level, msg, "logger", r.getLoggerName(), "err", String.valueOf(r.getThrown()));
        } else {
            Log.log(level, msg, "logger", r.getLoggerName());
        }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
}
