package tally.server.rules;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import tally.server.http.Handler;
import tally.server.http.Response;
import tally.server.http.Router;

/**
 * Prometheus's lifecycle API: {@code POST|PUT /-/reload} reloads the configuration, {@code POST|PUT /-/quit} shuts
 * down. Both answer 403 unless {@code --web.enable-lifecycle} is given, with Prometheus's wording.
 */
public final class LifecycleHandlers {
    private LifecycleHandlers() {}

    public static void register(Router router, boolean enabled, RulesService rules, Runnable quit) {
        Handler reload = guarded(enabled, r -> {
            if (rules.reload()) return Response.empty(HttpResponseStatus.OK);
            return Response.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "failed to reload config: " + rules.lastError() + "\n");
        });
        Handler stop = guarded(enabled, r -> {
            // answer first, then stop on another thread: the shutdown waits for in-flight requests, this one included
            Thread t = new Thread(quit, "quit");
            t.setDaemon(false);
            t.start();
            return Response.text(HttpResponseStatus.OK, "Requesting termination... Goodbye!");
        });
        for (HttpMethod m : new HttpMethod[] {HttpMethod.POST, HttpMethod.PUT}) {
            router.add(m, "/-/reload", "reload", reload);
            router.add(m, "/-/quit", "quit", stop);
        }
    }

    private static Handler guarded(boolean enabled, Handler h) {
        if (enabled) return h;
        return r -> Response.text(HttpResponseStatus.FORBIDDEN, "Lifecycle API is not enabled.");
    }
}
