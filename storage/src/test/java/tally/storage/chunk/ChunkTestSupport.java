package tally.storage.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/** Assertions shared by the chunk tests: bit-exact comparison of decoded samples. */
final class ChunkTestSupport {
    private ChunkTestSupport() {}

    static void assertDecodes(ChunkIterator it, long[] t, double[] v, int n, String ctx) {
        for (int i = 0; i < n; i++) {
            if (!it.next()) {
                fail(ctx + ": missing sample " + i);
            }
            if (t[i] != it.atT()) {
                assertEquals(t[i], it.atT(), ctx + ": t at " + i);
            }
            if (Double.doubleToRawLongBits(v[i]) != Double.doubleToRawLongBits(it.atV())) {
                fail(ctx + ": v at " + i + " expected " + v[i] + " got " + it.atV());
            }
        }
        assertFalse(it.next(), ctx + ": extra sample");
        assertFalse(it.next(), ctx + ": next after end");
    }

    static ChunkEncoder encoder(long[] t, double[] v, int n) {
        ChunkEncoder e = new ChunkEncoder();
        for (int i = 0; i < n; i++) {
            e.append(t[i], v[i]);
        }
        return e;
    }
}
