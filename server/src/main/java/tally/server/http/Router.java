package tally.server.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Method + exact path -> handler, plus path prefixes for routes with a variable tail
 * (e.g. {@code /api/v1/label/<name>/values}). Each route has a name used in latency metrics.
 */
public final class Router {
    /** A registered route: the handler and the name its metrics carry. */
    public record Route(String name, Handler handler) {}

    private final Map<String, Map<HttpMethod, Route>> exact = new ConcurrentHashMap<>();
    private final Map<String, Map<HttpMethod, Route>> prefixes = new ConcurrentHashMap<>();

    public Router add(HttpMethod method, String path, Handler handler) {
        return add(method, path, path, handler);
    }

    public Router add(HttpMethod method, String path, String name, Handler handler) {
        exact.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, new Route(name, handler));
        return this;
    }

    /** Routes every path starting with {@code prefix} (the handler reads the rest from {@link Request#path()}). */
    public Router addPrefix(HttpMethod method, String prefix, String name, Handler handler) {
        prefixes.computeIfAbsent(prefix, p -> new LinkedHashMap<>()).put(method, new Route(name, handler));
        return this;
    }

    /** The route for a request, or a route that answers 404/405. */
    public Route resolve(HttpMethod method, String path) {
        Map<HttpMethod, Route> byMethod = exact.get(path);
        if (byMethod == null) {
            String best = null;
            for (String p : prefixes.keySet()) {
                if (path.startsWith(p) && (best == null || p.length() > best.length())) best = p;
            }
            if (best != null) byMethod = prefixes.get(best);
        }
        if (byMethod == null) {
            return new Route("not_found", r -> Response.text(HttpResponseStatus.NOT_FOUND, "404 page not found"));
        }
        Route route = byMethod.get(method);
        if (route == null && method.equals(HttpMethod.HEAD)) route = byMethod.get(HttpMethod.GET);
        if (route != null) return route;
        StringJoiner allowed = new StringJoiner(", ");
        byMethod.keySet().forEach(m -> allowed.add(m.name()));
        String allow = allowed.toString();
        return new Route("method_not_allowed", r -> Response.text(HttpResponseStatus.METHOD_NOT_ALLOWED,
                "method not allowed").header("Allow", allow));
    }
}
