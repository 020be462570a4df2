package tally.bench.ingest;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Synthetic exports shaped like Claude Code's: 7 monotonic double Sums, the same attributes, N sessions per request. */
final class ClaudeCodePayloads {
    private ClaudeCodePayloads() {}

    static KeyValue kv(String k, String v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
    }

    /** Points per request for a given number of sessions (10 per session). */
    static int points(int sessions) {
        return sessions * 10;
    }

    static ExportMetricsServiceRequest request(int sessions, AggregationTemporality temporality, long startMs, long timeMs, long seed) {
        Random rnd = new Random(seed);
        String[][] metrics = {
                {"claude_code.session.count", ""}, {"claude_code.lines_of_code.count", ""}, {"claude_code.cost.usage", "USD"},
                {"claude_code.token.usage", "tokens"}, {"claude_code.code_edit_tool.decision", ""},
                {"claude_code.commit.count", ""}, {"claude_code.active_time.total", "s"}};
        List<Sum.Builder> sums = new ArrayList<>();
        for (int m = 0; m < metrics.length; m++) {
            sums.add(Sum.newBuilder().setIsMonotonic(true).setAggregationTemporality(temporality));
        }
        for (int s = 0; s < sessions; s++) {
            List<KeyValue> common = List.of(kv("user.id", String.format("%064x", s * 7919L)), kv("session.id", "4a22cf1d-b9dd-4231-9f52-" + String.format("%012d", s)),
                    kv("anthropic.provider", "firstParty"), kv("terminal.type", "vscode"));
            add(sums.get(0), common, startMs, timeMs, 1, kv("start_type", "fresh"));
            add(sums.get(1), common, startMs, timeMs, rnd.nextInt(50), kv("type", "added"), kv("model", "claude-sonnet-4-5"));
            add(sums.get(2), common, startMs, timeMs, rnd.nextInt(1000) / 1000.0, kv("model", "claude-sonnet-4-5"), kv("query_source", "main"));
            for (String type : new String[] {"input", "output", "cacheRead", "cacheCreation"}) {
                add(sums.get(3), common, startMs, timeMs, rnd.nextInt(20_000), kv("model", "claude-sonnet-4-5"), kv("query_source", "main"), kv("type", type));
            }
            add(sums.get(4), common, startMs, timeMs, 1, kv("decision", "accept"), kv("tool_name", "Edit"), kv("language", "Python"));
            add(sums.get(6), common, startMs, timeMs, rnd.nextInt(60), kv("type", "cli"));
        }
        ScopeMetrics.Builder scope = ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder()
                .setName("com.anthropic.claude_code").setVersion("2.1.330"));
        for (int m = 0; m < metrics.length; m++) {
            if (sums.get(m).getDataPointsCount() == 0) continue;
            scope.addMetrics(Metric.newBuilder().setName(metrics[m][0]).setUnit(metrics[m][1]).setDescription("d").setSum(sums.get(m)));
        }
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("host.arch", "amd64")).addAttributes(kv("os.type", "linux"))
                        .addAttributes(kv("os.version", "6.8.0")).addAttributes(kv("service.name", "claude-code"))
                        .addAttributes(kv("service.version", "2.1.330")))
                .addScopeMetrics(scope)).build();
    }

    private static void add(Sum.Builder sum, List<KeyValue> common, long startMs, long timeMs, double v, KeyValue... extra) {
        sum.addDataPoints(NumberDataPoint.newBuilder().addAllAttributes(common).addAllAttributes(List.of(extra))
                .setStartTimeUnixNano(startMs * 1_000_000L).setTimeUnixNano(timeMs * 1_000_000L).setAsDouble(v));
    }
}
