package tally.promql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tally.model.Labels;
import tally.promql.ast.AggregateExpr;
import tally.promql.ast.AggregateOp;
import tally.promql.ast.NumberLiteral;
import tally.promql.ast.PositionRange;

class SeriesMajorReduceTest {
    private static final long START = 1_000_000L, STEP = 60_000L;
    private static final int STEPS = 50;

    /** Series by series must give the step-by-step reduction's series, order and values bit for bit. */
    @Test
    void sameOutputAsTheStepwiseReductionForEveryOperator() {
        AggregateOp[] ops = {AggregateOp.SUM, AggregateOp.AVG, AggregateOp.COUNT, AggregateOp.MIN, AggregateOp.MAX,
                AggregateOp.GROUP, AggregateOp.STDDEV, AggregateOp.STDVAR};
        for (long seed = 1; seed <= 20; seed++) {
            List<StepSeries> in = randomInput(new Random(seed));
            for (AggregateOp op : ops) {
                for (boolean byGroup : new boolean[] {false, true}) {
                    AggregateExpr a = new AggregateExpr(op, new NumberLiteral(0, PositionRange.NONE), null,
                            byGroup ? List.of("g") : List.of(), false, PositionRange.NONE);
                    List<Labels> groups = new ArrayList<>();
                    int[] group = GroupIds.assign(in, a, groups);
                    List<StepSeries> want = Aggregations.reduce(evaluator(), a, in, group, groups, null);
                    List<StepSeries> got = SeriesMajorReduce.reduce(evaluator(), op, in, group, groups);
                    String what = op + (byGroup ? " by (g)" : "") + " seed " + seed;
                    assertEquals(want.size(), got.size(), what);
                    for (int i = 0; i < want.size(); i++) {
                        StepSeries w = want.get(i), g = got.get(i);
                        assertEquals(w.labels, g.labels, what);
                        assertEquals(w.n, g.n, what);
                        for (int p = 0; p < w.n; p++) {
                            assertEquals(w.ts[p], g.ts[p], what);
                            assertEquals(Double.doubleToRawLongBits(w.vs[p]), Double.doubleToRawLongBits(g.vs[p]),
                                    what + " at " + w.ts[p] + ": " + w.vs[p] + " vs " + g.vs[p]);
                        }
                    }
                }
            }
        }
    }

    private static Evaluator evaluator() {
        long end = START + (STEPS - 1) * STEP;
        QueryContext ctx = new QueryContext(null, EngineOptions.defaults(), null, START, end, null, null);
        return new Evaluator(ctx, START, end, STEP);
    }

    /** Short series starting anywhere, with gaps, values that need compensation, and a few NaN and huge ones. */
    private static List<StepSeries> randomInput(Random r) {
        List<StepSeries> in = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            StepSeries s = new StepSeries(Labels.of("g", "g" + r.nextInt(4), "i", Integer.toString(i)), 4);
            int from = r.nextInt(STEPS);
            int len = 1 + r.nextInt(15);
            for (int k = from; k < Math.min(STEPS, from + len); k++) {
                if (r.nextInt(5) == 0) continue;
                double v = switch (r.nextInt(20)) {
                    case 0 -> Double.NaN;
                    case 1 -> Double.MAX_VALUE / 2; // avg switches to its incremental mean
                    case 2 -> 1e16;
                    default -> r.nextInt(1000) * 0.001 + r.nextDouble();
                };
                s.add(START + k * STEP, v);
            }
            in.add(s);
        }
        return in;
    }
}
