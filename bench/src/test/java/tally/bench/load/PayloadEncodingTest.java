package tally.bench.load;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;
import tally.server.remotewrite.WriteRequestDecoder;
import tally.server.remotewrite.WriteRequestSink;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-encoded bodies decode with Tally's remote-write decoder and with the official OTLP classes. */
class PayloadEncodingTest {
    private static List<Window> claudeWindows() throws Exception {
        List<Window> out = new ArrayList<>();
        new ClaudeWorkload(4, 1, java.time.Instant.parse(GenerateCommand.DEFAULT_START).toEpochMilli(), 7, 2).generate(out::add);
        return out;
    }

    @Test
    void remoteWriteDecodesWithSortedLabelsAndAllSamples() throws Exception {
        RemoteWriteEncoder enc = new RemoteWriteEncoder();
        long expected = 0;
        long[] seen = {0};
        Set<String> names = new HashSet<>();
        for (Window w : claudeWindows()) {
            for (List<Block> blocks : w.streams) {
                if (blocks.isEmpty()) continue;
                for (Block b : blocks) expected += b.n;
                byte[] raw = Snappy.uncompress(enc.encode(blocks));
                new WriteRequestDecoder().decode(raw, raw.length, new WriteRequestSink() {
                    @Override
                    public void series(String[] kv, int labels, long[] ts, double[] values, int samples, int ex, int hist) {
                        for (int i = 1; i < labels; i++) assertTrue(kv[2 * (i - 1)].compareTo(kv[2 * i]) < 0, "labels sorted");
                        assertEquals("__name__", kv[0]);
                        names.add(kv[1]);
                        for (int i = 1; i < samples; i++) {
                            assertTrue(ts[i] - ts[i - 1] == 60_000, "one sample a minute");
                            assertTrue(values[i] >= values[i - 1], "counters are cumulative");
                        }
                        seen[0] += samples;
                    }

                    @Override
                    public void metadata(int type, String family, String help, String unit) {}
                });
            }
        }
        assertEquals(expected, seen[0]);
        assertTrue(names.containsAll(Set.of("claude_code_session_count_total", "claude_code_token_usage_tokens_total",
                "claude_code_cost_usage_USD_total", "claude_code_lines_of_code_count_total", "claude_code_commit_count_total",
                "claude_code_code_edit_tool_decision_total", "claude_code_active_time_seconds_total")), names.toString());
    }

    @Test
    void otlpCumulativeAndDeltaParseAndAgree() throws Exception {
        List<Window> windows = claudeWindows();
        OtlpEncoder cumulative = new OtlpEncoder(false);
        long cumulativePoints = 0;
        for (Window w : windows) {
            for (List<Block> blocks : w.streams) {
                if (blocks.isEmpty()) continue;
                ExportMetricsServiceRequest req = ExportMetricsServiceRequest.parseFrom(cumulative.encode(blocks));
                long n = 0;
                for (ResourceMetrics rm : req.getResourceMetricsList()) {
                    assertEquals("claude-code", rm.getResource().getAttributes(0).getValue().getStringValue());
                    for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                        assertEquals("com.anthropic.claude_code", sm.getScope().getName());
                        for (Metric m : sm.getMetricsList()) {
                            assertTrue(m.getName().startsWith("claude_code."));
                            assertEquals(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, m.getSum().getAggregationTemporality());
                            assertTrue(m.getSum().getIsMonotonic());
                            for (NumberDataPoint p : m.getSum().getDataPointsList()) {
                                assertTrue(p.getStartTimeUnixNano() <= p.getTimeUnixNano());
                            }
                            n += m.getSum().getDataPointsCount();
                        }
                    }
                }
                assertEquals(cumulative.points(), n);
                cumulativePoints += n;
            }
        }
        // Delta points summed per series give back the last cumulative value; fresh windows, fresh delta state.
        OtlpEncoder delta = new OtlpEncoder(true);
        double deltaTotal = 0;
        double finalCumulative = 0;
        java.util.Map<SeriesDef, Double> last = new java.util.HashMap<>();
        for (Window w : claudeWindows()) {
            for (List<Block> blocks : w.streams) {
                if (blocks.isEmpty()) continue;
                for (Block b : blocks) last.put(b.series, b.values[b.n - 1]);
                ExportMetricsServiceRequest req = ExportMetricsServiceRequest.parseFrom(delta.encode(blocks));
                for (ResourceMetrics rm : req.getResourceMetricsList()) {
                    for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                        for (Metric m : sm.getMetricsList()) {
                            assertEquals(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, m.getSum().getAggregationTemporality());
                            for (NumberDataPoint p : m.getSum().getDataPointsList()) deltaTotal += p.getAsDouble();
                        }
                    }
                }
            }
        }
        for (double v : last.values()) finalCumulative += v;
        assertEquals(finalCumulative, deltaTotal, finalCumulative * 1e-9);
        assertTrue(cumulativePoints > 0);
    }
}
