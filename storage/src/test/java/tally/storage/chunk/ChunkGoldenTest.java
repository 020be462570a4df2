package tally.storage.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static tally.storage.chunk.ChunkTestSupport.assertDecodes;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Exact bytes of small fixed chunks in every encoding, so the on-disk format cannot change by accident.
 * Vectors 1 (ids 0x11 and 0x33) are worked through bit by bit in docs/chunk-format.md.
 */
class ChunkGoldenTest {
    private static final long[] T1 = {1000, 2000, 3000, 4005};
    private static final double[] V1 = {1, 1, 3, 3};
    private static final long[] T2 = {-5000, -4000, -3000};
    private static final double[] V2 = {0.25, 0.5, Double.longBitsToDouble(0x7ff0000000000002L)};
    private static final long[] T3 = {1763700000000L, 1763700060003L, 1763700120004L};
    private static final double[] V3 = {0.0194466, 0.0263712, 0.0334};
    private static final long[] T4 = {0, 60000, 120000, 180000};
    private static final double[] V4 = {0.1, 0.1 + 0.2, 0.1 + 0.2 + 0.3, 0.1 + 0.2 + 0.3 + 0.4};

    /** Delta temporality: skipped intervals, export drift and a final flush 595 ms after the last export. */
    private static final long[] T5 = {0, 60000, 180003, 240005, 240600};
    private static final double[] V5 = {3, 10, 17, 20, 21};
    /** The smallest delta carries drift, so two intervals land 6 ms short of 2 x base: signed remainders. */
    private static final long[] T6 = {0, 60003, 180003};
    private static final double[] V6 = {1, 2, 3};

    /** A float sum whose second step lands one ulp above prev + d/10^8: one correction (-1) at sample 1. */
    private static final double[] V7 = {9.200899999999999E-4, 0.0021186699999999996, 0.0032953899999999996,
        0.004703059999999999};

    private static void check(String hex, long[] t, double[] v, int tsMode, int valMode) {
        byte[] c = ChunkEncodings.encode(t, v, t.length, tsMode, valMode);
        assertEquals(hex, HexFormat.of().formatHex(c), "ts=" + tsMode + " val=" + valMode);
        assertDecodes(new ChunkIterator().reset(c, 0, c.length), t, v, t.length, hex);
    }

    @Test
    void xorBaseline() {
        check("1104d00fbd170583e84002803ff00000000000006133ffc0", T1, V1, 1, 1);
        check("11038f4ed00f0383e8003fd0000000000000d41787e80200000000000040", T2, V2, 1, 1);
        check("11038094b2cbd466c4a90705cea63bffe03f93e9cf3c12d5c6d9a474613d15baf9eadba18c34166cfe70", T3, V3, 1, 1);
    }

    @Test
    void xorWithFineAndForTimestamps() {
        check("2104d00fbd1704e01f42503ff00000000000006133ffc0", T1, V1, 2, 1);
        check("3104d00fbd17030302803ff00000000000006133ffc0", T1, V1, 3, 1);
        check("31038f4ed00f03003fd0000000000000d41787e80200000000000040", T2, V2, 3, 1);
    }

    @Test
    void decimalStream() {
        check("2204d00fbd1704e01f425000c29870", T1, V1, 2, 2);
        check("3204d00fbd170303028000c29870", T1, V1, 3, 2);
        check("22038f4ed00f03e01f4002c6cacb01ffc0000000000008", T2, V2, 2, 2);
        check("22038094b2cbd466c4a90704e7531dc007d3bde8921cfc912900", T3, V3, 2, 2);
    }

    @Test
    void decimalFrameOfReference() {
        check("2304d00fbd1704e01f42500002048040", T1, V1, 2, 3);
        check("3304d00fbd17030302800002048040", T1, V1, 3, 3);
        check("33038094b2cbd466c4a907c2a907028007c4de17fcb9080b001048", T3, V3, 3, 3);
        // a stale marker is not a decimal: the frame-of-reference layout refuses it
        assertNull(ChunkEncodings.encode(T2, V2, 3, 3, 3));
    }

    @Test
    void floatSums() {
        check("2404d00fbd1704e01f4250003ff000000000000061c0", T1, V1, 2, 4);
        check("34038f4ed00f0300023fd0000000000000c6cb01ffc0000000000008", T2, V2, 3, 4);
        check("340400a0fe0a7900013fb999999999999ac396c480", T4, V4, 3, 4);
    }

    @Test
    void floatSumsFrameOfReference() {
        check("350400a0fe0a7900013fb999999999999a00040218", T4, V4, 3, 5);
        check("350400a0fe0a7900083f4e26463accda8e0105d0ae0e0f11140002d1b8", T4, V7, 3, 5);
        check("340400a0fe0a7900083f4e26463accda8eff74ba864b9750d38977c0", T4, V7, 3, 4);
        // a stale marker needs an escape, which the sealed layout does not have
        assertNull(ChunkEncodings.encode(T2, V2, 3, 3, 5));
    }

    @Test
    void automaticChoice() {
        check("3204d00fbd170303028000c29870", T1, V1, 0, 0);
        check("32038f4ed00f030002c6cacb01ffc0000000000008", T2, V2, 0, 0);
        check("22038094b2cbd466c4a90704e7531dc007d3bde8921cfc912900", T3, V3, 0, 0);
        check("340400a0fe0a7900013fb999999999999ac396c480", T4, V4, 0, 0);
    }

    @Test
    void intervalGridTimestamps() {
        check("430500d8d70e790405c7f90095c000060203d900", T5, V5, 4, 3);
        check("430500d8d70e790405c7f90095c000060203d900", T5, V5, 0, 0);
        check("420300a3fe0ac6a9070102d8c000c2aa80", T6, V6, 4, 2);
        check("4204d00fbd17030002f98000c29870", T1, V1, 4, 2);
    }

    @Test
    void emptyChunk() {
        check("2200", new long[0], new double[0], 0, 0);
    }
}
