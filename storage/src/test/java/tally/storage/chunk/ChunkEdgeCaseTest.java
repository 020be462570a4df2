package tally.storage.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tally.storage.chunk.ChunkTestSupport.assertDecodes;

import org.junit.jupiter.api.Test;

class ChunkEdgeCaseTest {
    private static final double STALE = Double.longBitsToDouble(0x7ff0000000000002L);

    private static void roundTrip(long[] t, double[] v, String ctx) {
        ChunkEncoder e = ChunkTestSupport.encoder(t, v, t.length);
        assertDecodes(e.iterator(null), t, v, t.length, ctx + " open");
        byte[] c = e.toBytes();
        assertDecodes(new ChunkIterator().reset(c, 0, c.length), t, v, t.length, ctx + " sealed");
        for (int ts = 1; ts <= 4; ts++) {
            byte[] x = ChunkEncodings.encode(t, v, t.length, ts, ChunkEncodings.VAL_XOR);
            if (x == null && ts == ChunkEncodings.TS_FOR && t.length == 2 && t[1] - t[0] < 0) {
                continue; // a single delta of 2^63 ms or more has no frame-of-reference form
            }
            if (x == null && ts == ChunkEncodings.TS_GRID) {
                assertTrue(hasDeltaOver2e62(t), ctx + ": the interval grid refuses only deltas of 2^62 ms or more");
                continue;
            }
            assertDecodes(new ChunkIterator().reset(x, 0, x.length), t, v, t.length, ctx + " xor ts=" + ts);
        }
        byte[] sums = ChunkEncodings.encode(t, v, t.length, ChunkEncodings.TS_DOD_FINE, ChunkEncodings.VAL_SUM_FOR);
        if (sums != null) {
            assertDecodes(new ChunkIterator().reset(sums, 0, sums.length), t, v, t.length, ctx + " sumfor");
        }
    }

    private static boolean hasDeltaOver2e62(long[] t) {
        for (int i = 1; i < t.length; i++) {
            long d = t[i] - t[i - 1];
            if (d <= 0 || d >= 1L << 62) {
                return true;
            }
        }
        return false;
    }

    @Test
    void emptyChunk() {
        ChunkEncoder e = new ChunkEncoder();
        assertEquals(0, e.numSamples());
        assertFalse(e.iterator(null).next());
        byte[] c = e.toBytes();
        assertEquals(2, c.length);
        ChunkIterator it = new ChunkIterator().reset(c, 0, c.length);
        assertFalse(it.next());
        assertFalse(it.seek(0));
        assertEquals(0, ChunkHeader.numSamples(c, 0, c.length));
        assertEquals(Long.MAX_VALUE, ChunkHeader.minT(c, 0, c.length));
        assertEquals(Long.MIN_VALUE, ChunkHeader.maxT(c, 0, c.length));
        assertEquals(0, ChunkEncoder.fromBytes(c, 0, c.length).numSamples());
    }

    @Test
    void oneSample() {
        roundTrip(new long[] {123}, new double[] {4.5}, "one");
        roundTrip(new long[] {-123}, new double[] {STALE}, "one stale");
        roundTrip(new long[] {Long.MAX_VALUE}, new double[] {Double.NaN}, "one at max");
        roundTrip(new long[] {Long.MIN_VALUE}, new double[] {-0.0}, "one at min");
    }

    @Test
    void specialValuesAreBitExact() {
        double[] v = {Double.NaN, STALE, Double.longBitsToDouble(0xfff8000000000001L), Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, -0.0, 0.0, -0.0, 5, STALE, 6, 6, Double.MIN_VALUE, -Double.MAX_VALUE};
        long[] t = new long[v.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = 1000L * i;
        }
        roundTrip(t, v, "specials");
        // a stale marker ending an integer counter stays in the decimal encoding as one escape
        double[] counter = {1, 2, 3, 4, STALE};
        byte[] c = ChunkTestSupport.encoder(new long[] {1, 2, 3, 4, 5}, counter, 5).toBytes();
        assertEquals(ChunkEncodings.VAL_DEC, ChunkEncodings.valueMode(c[0]));
        assertDecodes(new ChunkIterator().reset(c, 0, c.length), new long[] {1, 2, 3, 4, 5}, counter, 5, "stale end");
    }

    @Test
    void equalValuesCostAboutOneBitEach() {
        int n = 480;
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = 1_763_700_000_000L + 60_000L * i;
            v[i] = 1234.5;
        }
        byte[] c = ChunkTestSupport.encoder(t, v, n).toBytes();
        assertDecodes(new ChunkIterator().reset(c, 0, c.length), t, v, n, "constant");
        assertTrue(c.length < 20 + n / 8, "constant chunk is " + c.length + " bytes");
    }

    @Test
    void hugeAndNegativeTimestamps() {
        roundTrip(new long[] {Long.MIN_VALUE / 2, -1, 0, 1, Long.MAX_VALUE / 2}, new double[] {1, 2, 3, 4, 5}, "huge");
        roundTrip(new long[] {Long.MIN_VALUE, Long.MAX_VALUE}, new double[] {1, 2}, "full range");
        roundTrip(new long[] {Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1, Long.MAX_VALUE},
            new double[] {1, 2, 3, 4}, "range ends");
        roundTrip(new long[] {-3_000_000_000_000L, -2_999_999_940_000L, -2_999_999_880_001L}, new double[] {0.5, 0.75, 1},
            "negative");
        long[] t = {Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1, Long.MAX_VALUE};
        byte[] c = ChunkTestSupport.encoder(t, new double[] {1, 2, 3, 4}, 4).toBytes();
        assertEquals(Long.MIN_VALUE, ChunkHeader.minT(c, 0, c.length));
        assertEquals(Long.MAX_VALUE, ChunkHeader.maxT(c, 0, c.length));
        assertEquals(4, ChunkHeader.numSamples(c, 0, c.length));
    }

    @Test
    void hugeValueDeltas() {
        roundTrip(new long[] {1, 2, 3, 4, 5, 6},
            new double[] {0, 9.007199254740991E15, -9.007199254740991E15, 1e300, -1e-300, 4.9e-324}, "huge deltas");
        roundTrip(new long[] {1, 2, 3}, new double[] {1e15, 0.000000000000001, 1e15}, "scale jump");
    }
}
