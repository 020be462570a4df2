package tally.server.testing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Generated PromQL over {@link SideBySideData}'s metrics covering the functions, operators and
 * aggregations Tally implements. Ranges, offsets and subquery steps are whole multiples of 10 s.
 */
public final class SideBySideQueries {
    private static final String TOKENS = "claude_code_token_usage_tokens_total";
    private static final String COST = "claude_code_cost_usage_USD_total";
    private static final String GAUGE = "queue_depth";
    private static final String MEM = "node_memory_used_bytes";

    private SideBySideQueries() {}

    /** @param atSeconds an instant inside the data (for {@code @}), ≡ 5 mod 10 */
    public static List<String> all(long atSeconds) {
        Set<String> q = new LinkedHashSet<>();
        for (String sel : List.of(TOKENS, COST + "{model=~\"claude-(opus|haiku).*\"}", "claude_code_lines_of_code_count_total",
                "claude_code_session_count_total", "claude_code_active_time_seconds_total")) {
            q.add(sel);
            for (String range : List.of("1m", "5m", "15m")) {
                for (String f : List.of("rate", "irate", "increase", "delta", "idelta", "deriv", "changes", "resets")) {
                    q.add(f + "(" + sel + "[" + range + "])");
                }
            }
        }
        for (String sel : List.of(GAUGE, MEM + "{instance!=\"host0\"}", TOKENS + "{type=\"output\"}")) {
            q.add(sel);
            for (String range : List.of("1m", "5m", "20m")) {
                for (String f : List.of("avg_over_time", "sum_over_time", "min_over_time", "max_over_time", "count_over_time",
                        "last_over_time", "stddev_over_time", "stdvar_over_time", "present_over_time", "absent_over_time")) {
                    q.add(f + "(" + sel + "[" + range + "])");
                }
                q.add("quantile_over_time(0.9, " + sel + "[" + range + "])");
                q.add("quantile_over_time(0.25, " + sel + "[" + range + "])");
            }
        }
        String r = "rate(" + TOKENS + "[5m])";
        for (String agg : List.of("sum", "avg", "min", "max", "count", "group", "stddev", "stdvar")) {
            q.add(agg + "(" + r + ")");
            q.add(agg + " by (model) (" + r + ")");
            q.add(agg + " without (session_id, user_email) (" + r + ")");
            q.add(agg + "(" + GAUGE + ") by (queue)");
        }
        q.add("topk(3, " + r + ")");
        q.add("bottomk(2, sum by (session_id) (" + r + "))");
        q.add("topk(1, " + GAUGE + ") by (queue)");
        q.add("quantile(0.5, " + r + ")");
        q.add("quantile by (type) (0.9, " + r + ")");
        q.add("count_values(\"depth\", " + GAUGE + ")");
        q.add("count_values by (queue) (\"d\", round(" + GAUGE + " / 10))");
        // arithmetic, comparison, set operators, matching
        q.add(TOKENS + " + 1");
        q.add("2 * " + GAUGE + " - 3");
        q.add(GAUGE + " / 7");
        q.add(GAUGE + " % 7");
        q.add(GAUGE + " ^ 0.5");
        q.add("-" + GAUGE);
        q.add(GAUGE + " > 100");
        q.add(GAUGE + " > bool 100");
        q.add(GAUGE + " <= 80 or " + GAUGE + " >= 120");
        q.add(GAUGE + " == bool " + GAUGE);
        q.add(GAUGE + " != 100");
        q.add(GAUGE + " and " + GAUGE + "{queue=\"fast\"}");
        q.add(GAUGE + " unless " + GAUGE + "{queue=\"fast\"}");
        q.add(GAUGE + " or " + MEM);
        q.add(GAUGE + " * on (instance) group_left " + MEM + " / 1e9");
        q.add(MEM + " / on (instance) group_right (queue) " + GAUGE);
        q.add(GAUGE + " * ignoring (queue, job) " + MEM + " / 1e9");
        q.add("sum by (session_id) (rate(" + COST + "[5m])) / on (session_id) sum by (session_id) (" + r + ")");
        q.add("sum by (model) (increase(" + COST + "[15m])) / sum by (model) (increase(" + TOKENS + "{type=\"output\"}[15m])) * 1000");
        q.add("sum(" + r + ") > bool 1");
        q.add("1 + 2 * 3 - 4 / 2");
        q.add("2 ^ 3 ^ 2");
        q.add("(1 > bool 0) + 5");
        // functions on instant vectors
        for (String f : List.of("abs", "ceil", "floor", "round", "sqrt", "ln", "log2", "log10", "sgn", "sort", "sort_desc")) {
            q.add(f + "(" + GAUGE + " - 100)");
        }
        q.add("exp(" + GAUGE + " / 100)");
        q.add("round(" + GAUGE + ", 5)");
        q.add("clamp(" + GAUGE + ", 80, 120)");
        q.add("clamp_min(" + GAUGE + ", 100)");
        q.add("clamp_max(" + GAUGE + ", 100)");
        q.add("scalar(sum(" + GAUGE + "))");
        q.add("scalar(" + GAUGE + ")");
        q.add("vector(1)");
        q.add("vector(time())");
        q.add("time()");
        q.add("timestamp(" + GAUGE + ")");
        q.add("absent(" + GAUGE + ")");
        q.add("absent(nonexistent_metric{job=\"x\"})");
        q.add("absent_over_time(nonexistent_metric[5m])");
        q.add("label_replace(" + GAUGE + ", \"host\", \"$1\", \"instance\", \"host(.*)\")");
        q.add("label_replace(" + GAUGE + ", \"q\", \"$1-$2\", \"queue\", \"(f|s)(.*)\")");
        q.add("label_join(" + GAUGE + ", \"both\", \"/\", \"instance\", \"queue\")");
        for (String f : List.of("day_of_week", "day_of_month", "days_in_month", "hour", "minute", "month", "year")) {
            q.add(f + "()");
            q.add(f + "(timestamp(" + GAUGE + "))");
        }
        q.add("histogram_quantile(0.9, rate(request_duration_seconds_bucket[5m]))");
        q.add("histogram_quantile(0.5, sum by (le) (rate(request_duration_seconds_bucket[10m])))");
        // offset, @, subqueries (steps on whole multiples of 10 s)
        q.add(GAUGE + " offset 5m");
        q.add("rate(" + TOKENS + "[5m] offset 10m)");
        q.add(GAUGE + " @ " + atSeconds);
        q.add("sum(rate(" + TOKENS + "[5m] @ " + atSeconds + "))");
        q.add("max_over_time(rate(" + TOKENS + "[1m])[10m:30s])");
        q.add("avg_over_time(" + GAUGE + "[20m:1m])");
        q.add("sum_over_time(sum(" + GAUGE + ")[10m:])");
        q.add("max_over_time(sum by (model) (rate(" + TOKENS + "[5m]))[30m:10s])");
        q.add("min_over_time(" + GAUGE + "[15m:20s] offset 5m)");
        q.add("rate(sum(" + TOKENS + ")[10m:30s])");
        q.add("deriv(" + GAUGE + "[10m])");
        q.add("predict_linear(" + GAUGE + "[10m], 600)");
        // Grafana's compound durations
        q.add("rate(" + TOKENS + "[4m0s])");
        q.add("increase(" + COST + "[1h0m0s])");
        return new ArrayList<>(q);
    }
}
