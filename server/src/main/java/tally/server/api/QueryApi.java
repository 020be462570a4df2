package tally.server.api;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import tally.model.Queryable;
import tally.promql.ast.Expr;
import tally.promql.cache.RangeResultCache;
import tally.promql.cache.SplitRangeQuery;
import tally.promql.engine.Engine;
import tally.promql.engine.EngineOptions;
import tally.promql.engine.PromQLException;
import tally.promql.engine.QueryResult;
import tally.promql.engine.RangeSteps;
import tally.promql.parser.ParseException;
import tally.promql.parser.PromQLParser;

/** {@code /api/v1/query}, {@code /api/v1/query_range} and {@code /api/v1/format_query}. */
public final class QueryApi {
    private final Queryable storage;
    private final EngineOptions engineOptions;
    private final Engine engine;
    private final LongSupplier clock;
    /** Null when range queries are not cached. */
    private final RangeResultCache cache;

    public QueryApi(Queryable storage, EngineOptions engineOptions, LongSupplier clockMillis, RangeResultCache cache) {
        this.storage = storage;
        this.engineOptions = engineOptions;
        this.engine = new Engine(engineOptions);
        this.clock = clockMillis;
        this.cache = cache;
    }

    public ApiResponse query(ApiParams p) {
        long t = p.time("time", clock.getAsLong());
        String text = queryText(p);
        Expr expr = parse(text);
        int limit = p.limit();
        QueryResult r = run(p, e -> e.instant(storage, expr, text, t, null));
        return respond(r, limit);
    }

    /** Each parameter parsed once, the range checked once (RangeSteps, in Prometheus's order), then the query. */
    public ApiResponse queryRange(ApiParams p) {
        long start = p.requiredTime("start");
        long end = p.requiredTime("end");
        RangeSteps steps = engineCall(() -> RangeSteps.of(start, end, () -> p.duration("step"), engineOptions.maxPointsPerSeries()));
        String text = queryText(p);
        Expr expr = parse(text);
        int limit = p.limit();
        QueryResult r = run(p, e -> SplitRangeQuery.run(cache, e, storage, expr, text, steps, null));
        return respond(r, limit);
    }

    public ApiResponse formatQuery(ApiParams p) {
        Expr expr = parse(queryText(p));
        return ApiResponse.finish(ApiResponse.begin().str(expr.toString()));
    }

    private static String queryText(ApiParams p) {
        String q = p.get("query");
        return q == null ? "" : q;
    }

    private static Expr parse(String q) {
        try {
            return PromQLParser.parseExpr(q);
        } catch (ParseException e) {
            throw ApiError.badData("invalid parameter \"query\": " + e.getMessage());
        }
    }

    private interface Run {
        QueryResult apply(Engine e);
    }

    private QueryResult run(ApiParams p, Run run) {
        Engine e = engine;
        long ms = p.duration("timeout", 0);
        if (ms > 0 && ms < engineOptions.timeoutMs()) {
            e = new Engine(new EngineOptions(engineOptions.lookbackDeltaMs(), engineOptions.defaultEvalIntervalMs(),
                    ms, engineOptions.maxSamples(), engineOptions.maxPointsPerSeries()));
        }
        Engine chosen = e;
        return engineCall(() -> run.apply(chosen));
    }

    /** Engine failures as the API's errors: Prometheus's errorType and status for each. */
    private static <T> T engineCall(Supplier<T> call) {
        try {
            return call.get();
        } catch (PromQLException ex) {
            throw switch (ex.type()) {
                case BAD_DATA -> ApiError.badData(ex.getMessage());
                case EXECUTION -> ApiError.execution(ex.getMessage());
                case TIMEOUT -> new ApiError("timeout", 503, ex.getMessage());
                case CANCELED -> new ApiError("canceled", 499, ex.getMessage());
            };
        }
    }

    private static ApiResponse respond(QueryResult r, int limit) {
        JsonOut out = ApiResponse.begin();
        boolean truncated = ResultJson.write(out, r.value(), limit);
        List<String> warnings = r.warnings();
        if (truncated) {
            warnings = new ArrayList<>(warnings);
            warnings.add("results truncated due to limit");
        }
        return ApiResponse.finish(out, warnings, r.infos());
    }
}
