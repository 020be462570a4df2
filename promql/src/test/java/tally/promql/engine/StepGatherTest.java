package tally.promql.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tally.model.Labels;

class StepGatherTest {
    /** Against the obvious all-series scan: same members, in input order, at every step. */
    @Test
    void liveSetGivesTheSameVectorsAsScanningEverySeries() {
        Random r = new Random(3);
        List<StepSeries> in = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            StepSeries s = new StepSeries(Labels.of("i", Integer.toString(i)), 4);
            int start = r.nextInt(100);
            int len = r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(30);
            for (int k = start; k < start + len; k++) if (r.nextInt(4) != 0) s.add(k * 10L, i * 1000 + k);
            in.add(s);
        }
        StepGather g = new StepGather(in);
        for (int step = 0; step < 140; step++) {
            long t = step * 10L;
            g.gather(t);
            List<Integer> want = new ArrayList<>();
            List<Double> wantV = new ArrayList<>();
            for (int i = 0; i < in.size(); i++) {
                StepSeries s = in.get(i);
                for (int p = 0; p < s.n; p++) {
                    if (s.ts[p] == t) {
                        want.add(i);
                        wantV.add(s.vs[p]);
                    }
                }
            }
            assertEquals(want.size(), g.count, "t=" + t);
            int[] got = Arrays.copyOf(g.idx, g.count);
            assertArrayEquals(want.stream().mapToInt(Integer::intValue).toArray(), got, "t=" + t);
            for (int k = 0; k < g.count; k++) assertEquals(wantV.get(k), g.val[k]);
        }
    }
}
