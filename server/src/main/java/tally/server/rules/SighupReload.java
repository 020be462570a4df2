package tally.server.rules;

import tally.server.log.Log;

/** SIGHUP reloads the configuration, as for Prometheus (whether or not the lifecycle API is on). */
final class SighupReload {
    private SighupReload() {}

    @SuppressWarnings("restriction")
    static void install(RulesService rules) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> {
                // the signal thread must not block for long: the reload runs on its own thread
                Thread t = new Thread(rules::reload, "sighup-reload");
                t.setDaemon(true);
                t.start();
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            Log.warn("SIGHUP reload is not available on this platform", "err", String.valueOf(e.getMessage()));
        }
    }
}
