package tally.bench.promql;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tally.promql.ast.Expr;
import tally.promql.parser.PromQLParser;

/** Parse time of representative Claude Code dashboard expressions (Grafana variables already substituted). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ParseBench {
    @Param({
        "sum(max_over_time(claude_code_session_count_total{job=\"otel-collector\"}[1h0m0s])) or vector(0)",
        "sum by (model) (increase(claude_code_cost_usage_USD_total{job=\"otel-collector\"}[1m0s]))",
        "sum by (type) (rate(claude_code_token_usage_tokens_total{job=\"otel-collector\"}[5m]) * 60)",
        "count(count by (user_id)(increase(claude_code_cost_usage_USD_total[1h0m0s]) > 0))",
        "sum({\"claude_code.token.usage\", type=\"cacheRead\", \"@resource.service.name\"=\"claude-code\"}) / sum({\"claude_code.token.usage\", \"@resource.service.name\"=\"claude-code\"}) * 100",
        "topk(500, sum by (\"user.email\")({\"claude_code.cost.usage\", \"@resource.service.name\"=\"claude-code\"}))",
        "sum(increase(claude_code_active_time_seconds_total{organization_id=~\"(acme|initech)\", user_email=~\"(a@x.io|b@x.io)\"}[1h0m0s])) by (type)",
        "clamp_min(deriv(claude_quota_used_percent[15m]), 0) * 3600",
        "label_replace(sum by (project_name) (increase(claude_code_cost_usage_USD_total[7d])), \"project_name\", \"(none)\", \"project_name\", \"^$\")",
        "claude_quota_resets_at_timestamp_seconds{window=\"5h\"} - time()",
        "sum(rate(claude_code_claude_code_cost_usage_USD_total[5m]) * 60) > 1",
        "sort_desc(sum by (language)(increase(claude_code_code_edit_tool_decision_total{decision=\"accept\"}[1h0m0s])))"
    })
    public String query;

    @Benchmark
    public Expr parse() {
        return PromQLParser.parseExpr(query);
    }
}
