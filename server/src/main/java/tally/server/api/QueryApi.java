package tally.server.api;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import tally.model.Queryable;
import tally.promql.ast.Expr;
import tally.promql.engine.Engine;
import tally.promql.engine.EngineOptions;
import tally.promql.engine.PromQLException;
import tally.promql.engine.QueryResult;
import tally.promql.parser.ParseException;
import tally.promql.parser.PromQLParser;

/** {@code /api/v1/query}, {@code /api/v1/query_range} and {@code /api/v1/format_query}. */
public final class QueryApi {
    private final Queryable storage;
    private final EngineOptions engineOptions;
    private final Engine engine;
    private final LongSupplier clock;

    public QueryApi(Queryable storage, EngineOptions engineOptions, LongSupplier clockMillis) {
        this.storage = storage;
        this.engineOptions = engineOptions;
        this.engine = new Engine(engineOptions);
        this.clock = clockMillis;
    }

    public ApiResponse query(ApiParams p) {
        long t = p.time("time", clock.getAsLong());
        Expr expr = parse(p);
        int limit = p.limit();
        String text = p.get("query");
        QueryResult r = run(p, e -> e.instant(storage, expr, text, t, null));
        return respond(r, limit);
    }

    public ApiResponse queryRange(ApiParams p) {
        long start = requiredTime(p, "start");
        long end = requiredTime(p, "end");
        if (end < start) throw ApiError.badData("end timestamp must not be before start time");
        long step = p.duration("step");
        if (step <= 0) {
            throw ApiError.badData("zero or negative query resolution step widths are not accepted. Try a positive integer");
        }
        if ((end - start) / step > engineOptions.maxPointsPerSeries()) {
            throw ApiError.badData("exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)");
        }
        Expr expr = parse(p);
        int limit = p.limit();
        String text = p.get("query");
        QueryResult r = run(p, e -> e.range(storage, expr, text, start, end, step, null));
        return respond(r, limit);
    }

    public ApiResponse formatQuery(ApiParams p) {
        Expr expr = parse(p);
        return ApiResponse.finish(ApiResponse.begin().str(expr.toString()));
    }

    private static long requiredTime(ApiParams p, String name) {
        String v = p.get(name);
        if (v == null || v.isEmpty()) throw ApiError.badData("invalid parameter \"" + name + "\": cannot parse \"\" to a valid timestamp");
        return p.time(name, 0);
    }

    private static Expr parse(ApiParams p) {
        String q = p.get("query");
        try {
            return PromQLParser.parseExpr(q == null ? "" : q);
        } catch (ParseException e) {
            throw ApiError.badData("invalid parameter \"query\": " + e.getMessage());
        }
    }

    private interface Run {
        QueryResult apply(Engine e);
    }

    private QueryResult run(ApiParams p, Run run) {
        Engine e = engine;
        String timeout = p.get("timeout");
        if (timeout != null && !timeout.isEmpty()) {
            long ms = p.duration("timeout");
            if (ms > 0 && ms < engineOptions.timeoutMs()) {
                e = new Engine(new EngineOptions(engineOptions.lookbackDeltaMs(), engineOptions.defaultEvalIntervalMs(),
                        ms, engineOptions.maxSamples(), engineOptions.maxPointsPerSeries()));
            }
        }
        try {
            return run.apply(e);
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
