package tally.server.api;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tally.model.Storage;
import tally.promql.engine.EngineOptions;
import tally.server.http.Handler;
import tally.server.http.Request;
import tally.server.http.Response;
import tally.server.http.Router;
import tally.server.log.Log;

/**
 * Puts the Prometheus query API on a router: GET and form-encoded POST for everything Grafana may
 * POST, GET for the rest, JSON errors in Prometheus's shape.
 */
public final class ApiRoutes {
    private static final String LABEL_PREFIX = "/api/v1/label/";

    private ApiRoutes() {}

    /**
     * @param maxConcurrentQueries --query.max-concurrency: PromQL queries at once, beyond answered 503 + Retry-After
     * @param cache                range query results kept for refreshes, or null
     */
    public static void register(Router router, Storage storage, EngineOptions engine, Map<String, String> flags,
                                String storagePath, RulesApi rulesApi, StatusApi.ConfigStatus configStatus, int maxConcurrentQueries,
                                tally.promql.cache.RangeResultCache cache) {
        QueryApi query = new QueryApi(storage, engine, System::currentTimeMillis, cache);
        QueryGate gate = new QueryGate(maxConcurrentQueries);
        SeriesApi series = new SeriesApi(storage);
        StatusApi status = new StatusApi(storage, flags, storagePath, System::currentTimeMillis, configStatus);

        both(router, "/api/v1/query", "query", gate.guard(query::query));
        both(router, "/api/v1/query_range", "query_range", gate.guard(query::queryRange));
        both(router, "/api/v1/format_query", "format_query", query::formatQuery);
        both(router, "/api/v1/series", "series", series::series);
        both(router, "/api/v1/labels", "labels", series::labelNames);
        both(router, "/api/v1/query_exemplars", "query_exemplars", p -> status.exemplars());
        get(router, "/api/v1/metadata", "metadata", series::metadata);
        get(router, "/api/v1/status/buildinfo", "buildinfo", p -> status.buildInfo());
        get(router, "/api/v1/status/runtimeinfo", "runtimeinfo", p -> status.runtimeInfo());
        get(router, "/api/v1/status/flags", "flags", p -> status.flags());
        get(router, "/api/v1/status/tsdb", "tsdb", status::tsdb);
        get(router, "/api/v1/rules", "rules", rulesApi::rules);
        get(router, "/api/v1/alerts", "alerts", rulesApi::alerts);
        router.addPrefix(HttpMethod.GET, LABEL_PREFIX, "label_values", adapt(req -> {
            String rest = req.path().substring(LABEL_PREFIX.length());
            if (!rest.endsWith("/values")) throw new ApiError("not_found", 404, "unknown API endpoint " + req.path());
            String name = QueryStringDecoder.decodeComponent(rest.substring(0, rest.length() - "/values".length()));
            return series.labelValues(name, params(req));
        }));
    }

    private static void both(Router router, String path, String name, Function<ApiParams, ApiResponse> api) {
        Handler h = adapt(req -> api.apply(params(req)));
        router.add(HttpMethod.GET, path, name, h);
        router.add(HttpMethod.POST, path, name, h);
    }

    private static void get(Router router, String path, String name, Function<ApiParams, ApiResponse> api) {
        router.add(HttpMethod.GET, path, name, adapt(req -> api.apply(params(req))));
    }

    private interface Call {
        ApiResponse apply(Request req);
    }

    private static Handler adapt(Call call) {
        return req -> {
            ApiResponse r;
            try {
                r = call.apply(req);
            } catch (ApiError e) {
                r = ApiResponse.error(e);
            } catch (tally.model.QueryLimitException e) {
                // the query would need more heap than the running ones leave (retry) or than this heap has (narrow it)
                r = ApiResponse.error(e.retryable() ? new ApiError("unavailable", 503, e.getMessage()) : ApiError.execution(e.getMessage()));
            } catch (RuntimeException e) {
                Log.error("query API failed", "path", req.path(), "err", String.valueOf(e));
                r = ApiResponse.error(new ApiError("internal", 500, String.valueOf(e.getMessage())));
            }
            Response out = new Response(HttpResponseStatus.valueOf(r.status()), ApiResponse.CONTENT_TYPE, r.body());
            return r.retryAfter() == null ? out : out.header("Retry-After", r.retryAfter());
        };
    }

    /** Query string and, for form POSTs, the body's parameters (body values come after the URL's). */
    static ApiParams params(Request req) {
        Map<String, List<String>> merged = new HashMap<>();
        req.queryParams().forEach((k, v) -> merged.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        String ct = req.header("Content-Type");
        if (req.method().equals(HttpMethod.POST) && ct != null && ct.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
            String body = req.bodyString();
            new QueryStringDecoder(body, StandardCharsets.UTF_8, false).parameters()
                    .forEach((k, v) -> merged.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        }
        return new ApiParams(merged);
    }
}
