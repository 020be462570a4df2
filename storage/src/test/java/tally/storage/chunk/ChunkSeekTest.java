package tally.storage.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** seek() against a linear reference: first sample >= t, never backwards, false once exhausted. */
class ChunkSeekTest {
    @Test
    void seekMatchesReference() {
        SplittableRandom r = new SplittableRandom(11);
        ChunkIterator it = new ChunkIterator();
        for (int iter = 0; iter < 2000; iter++) {
            String shape = Shapes.NAMES[iter % Shapes.NAMES.length];
            int n = r.nextInt(0, 150);
            Shapes s = Shapes.make(shape, n, r);
            ChunkEncoder e = ChunkTestSupport.encoder(s.t, s.v, n);
            byte[] c = e.toBytes();
            if (iter % 2 == 0) {
                it.reset(c, 0, c.length);
            } else {
                e.iterator(it);
            }
            int ref = -1; // index of the reference cursor's current sample; n = exhausted
            boolean exhausted = false;
            for (int op = 0; op < 12 && !exhausted; op++) {
                String ctx = shape + " iter=" + iter + " op=" + op;
                if (r.nextInt(4) == 0) {
                    boolean got = it.next();
                    ref++;
                    exhausted = ref >= n;
                    assertEquals(!exhausted, got, ctx + " next");
                } else {
                    long target = pickTarget(s.t, n, r);
                    int from = Math.max(ref, 0);
                    int k = from;
                    while (k < n && s.t[k] < target) {
                        k++;
                    }
                    ref = k;
                    exhausted = k >= n;
                    assertEquals(!exhausted, it.seek(target), ctx + " seek " + target);
                }
                if (!exhausted) {
                    assertEquals(s.t[ref], it.atT(), ctx);
                    assertEquals(Double.doubleToRawLongBits(s.v[ref]), Double.doubleToRawLongBits(it.atV()), ctx);
                }
            }
            if (exhausted) {
                assertEquals(false, it.seek(Long.MIN_VALUE), shape + " seek after end");
                assertEquals(false, it.next(), shape + " next after end");
            }
        }
    }

    private static long pickTarget(long[] t, int n, SplittableRandom r) {
        if (n == 0) {
            return r.nextLong();
        }
        int i = r.nextInt(n);
        switch (r.nextInt(5)) {
            case 0: return t[i];
            case 1: return t[i] - 1;
            case 2: return t[i] + 1;
            case 3: return t[0] - r.nextInt(1000);
            default: return t[n - 1] + r.nextInt(1000);
        }
    }
}
