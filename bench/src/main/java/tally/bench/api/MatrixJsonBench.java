package tally.bench.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tally.model.Labels;
import tally.promql.engine.RangeMatrix;
import tally.promql.engine.SeriesPoints;
import tally.server.api.ApiResponse;
import tally.server.api.JsonOut;
import tally.server.api.ResultJson;

/**
 * The JSON body of a query_range answer, engine result to bytes: 100 series x 720 steps (30 days at 1 h, what the
 * Claude Code dashboard asks for). Values as dashboards see them: whole counts, dollars with cents, and rates
 * (full-precision doubles, the costly case).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class MatrixJsonBench {
    @Param({"integers", "cents", "rates"})
    public String values;

    @Param("100")
    public int series;

    @Param("720")
    public int steps;

    private RangeMatrix matrix;

    @Setup
    public void setup() {
        Random r = new Random(42);
        long start = 1_764_000_000_000L;
        List<SeriesPoints> all = new ArrayList<>(series);
        for (int s = 0; s < series; s++) {
            long[] ts = new long[steps];
            double[] vs = new double[steps];
            for (int i = 0; i < steps; i++) {
                ts[i] = start + i * 3_600_000L;
                vs[i] = switch (values) {
                    case "integers" -> r.nextInt(100_000);
                    case "cents" -> r.nextInt(100_000) / 100.0;
                    default -> r.nextDouble() * Math.pow(10, r.nextInt(8) - 4);
                };
            }
            all.add(new SeriesPoints(Labels.of("__name__", "claude_code_cost_usage_USD_total", "model", "claude-sonnet-4",
                    "session_id", "s-" + s, "user_email", "user" + s + "@example.com"), ts, vs, steps));
        }
        matrix = new RangeMatrix(all);
    }

    @Benchmark
    public byte[] matrix() {
        JsonOut out = ApiResponse.begin();
        ResultJson.write(out, matrix, 0);
        return ApiResponse.finish(out).body();
    }
}
