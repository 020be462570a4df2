package tally.storage.chunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tally.storage.chunk.ChunkTestSupport.assertDecodes;
import static tally.storage.chunk.ChunkTestSupport.encoder;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** External timestamps: golden bytes, and seeded round trips through externalize + resolve for every shape. */
class ChunkTimestampsTest {
    private static final long[] T1 = {1000, 2000, 3000, 4005};
    private static final double[] V1 = {1, 1, 3, 3};

    @Test
    void goldenRunAndBitmap() {
        byte[] c = ChunkEncodings.encode(T1, V1, 4, ChunkEncodings.TS_FOR, ChunkEncodings.VAL_DEC_FOR);
        ChunkTimestamps ts = new ChunkTimestamps();
        assertEquals(4, ts.read(c, 0, c.length));

        // timeline 0..5000 every 1000 ms plus 4005: the chunk is the run of slots 1, 2, 3, 5 -> bitmap
        long[] timeline = {0, 1000, 2000, 3000, 4000, 4005};
        byte[] bitmap = ts.toExternal(3, new int[] {1, 2, 3, 5});
        // id 0x53, n 4, timeline 3, start 1 << 1 | 1, span 4, bits 1101 (slots 2, 3, 5), DEC_FOR values as before
        assertEquals("53 04 03 03 04 d0 0002048040".replace(" ", ""), HexFormat.of().formatHex(bitmap));
        checkResolves(bitmap, timeline, T1, V1);

        long[] runTimeline = {0, 1000, 2000, 3000, 4005, 9000};
        byte[] run = ts.toExternal(0, new int[] {1, 2, 3, 4});
        // start 1 << 1 | 0: a run, no bitmap
        assertEquals("53 04 00 02 0002048040".replace(" ", ""), HexFormat.of().formatHex(run));
        checkResolves(run, runTimeline, T1, V1);

        // the resolved form: TS_PLAIN (0x63), the normal header, then t[1..3] as little-endian longs
        byte[] out = new byte[ChunkTimestamps.resolvedMaxLength(run, 0, run.length)];
        int len = ChunkTimestamps.resolve(run, 0, run.length, runTimeline, out);
        assertEquals("63 04 d00f bd17 d007000000000000 b80b000000000000 a50f000000000000 0002048040".replace(" ", ""),
            HexFormat.of().formatHex(out, 0, len));
    }

    @Test
    void externalChunksDoNotDecodeOnTheirOwn() {
        byte[] c = ChunkEncodings.encode(T1, V1, 4, 0, 0);
        ChunkTimestamps ts = new ChunkTimestamps();
        ts.read(c, 0, c.length);
        byte[] ext = ts.toExternal(0, new int[] {0, 1, 2, 3});
        assertTrue(ChunkTimestamps.isExternal(ext, 0, ext.length));
        assertEquals(0, ChunkTimestamps.timelineId(ext, 0));
        assertThrows(IllegalArgumentException.class, () -> new ChunkIterator().reset(ext, 0, ext.length));
        assertThrows(IllegalArgumentException.class, () -> ChunkHeader.minT(ext, 0, ext.length));
        assertEquals(4, ChunkHeader.numSamples(ext, 0, ext.length));
        byte[] out = new byte[ChunkTimestamps.resolvedMaxLength(ext, 0, ext.length)];
        assertThrows(IllegalStateException.class, () -> ChunkTimestamps.resolve(ext, 0, ext.length, new long[] {1000, 2000, 3000}, out));
    }

    @Test
    void timelinesRoundTrip() {
        SplittableRandom r = new SplittableRandom(5);
        for (int iter = 0; iter < 300; iter++) {
            String shape = Shapes.NAMES[iter % Shapes.NAMES.length];
            int n = r.nextInt(1, 400);
            Shapes s = Shapes.make(shape, n, r);
            byte[] enc = ChunkTimestamps.encodeTimeline(s.t, n);
            byte[] big = new byte[enc.length + 9];
            System.arraycopy(enc, 0, big, 5, enc.length);
            assertArrayEquals(Arrays.copyOf(s.t, n), ChunkTimestamps.decodeTimeline(big, 5, enc.length), shape);
        }
    }

    /**
     * Every shape (NaN and stale markers, negative and huge timestamps) and every forced encoding: a chunk placed
     * in a timeline with other instants around and between its own resolves to exactly its samples.
     */
    @Test
    void externalRoundTripsEveryShapeAndEncoding() {
        SplittableRandom r = new SplittableRandom(6);
        ChunkTimestamps ts = new ChunkTimestamps();
        int[] tsModes = {0, ChunkEncodings.TS_DOD_PROM, ChunkEncodings.TS_DOD_FINE, ChunkEncodings.TS_FOR, ChunkEncodings.TS_GRID};
        int[] valModes = {0, ChunkEncodings.VAL_XOR, ChunkEncodings.VAL_DEC, ChunkEncodings.VAL_DEC_FOR,
            ChunkEncodings.VAL_SUM, ChunkEncodings.VAL_SUM_FOR};
        for (int iter = 0; iter < 1500; iter++) {
            String shape = Shapes.NAMES[iter % Shapes.NAMES.length];
            int n = r.nextInt(1, 250);
            Shapes s = Shapes.make(shape, n, r);
            int tsMode = tsModes[r.nextInt(tsModes.length)];
            int valMode = valModes[r.nextInt(valModes.length)];
            byte[] c = tsMode == 0 && valMode == 0 ? encoder(s.t, s.v, n).toBytes()
                : ChunkEncodings.encode(s.t, s.v, n, tsMode, valMode);
            if (c == null) continue;
            boolean interleave = r.nextBoolean();
            long[] timeline = timelineAround(s.t, n, interleave, r);
            int[] slots = new int[n];
            for (int i = 0; i < n; i++) slots[i] = Arrays.binarySearch(timeline, s.t[i]);
            assertEquals(n, ts.read(c, 0, c.length));
            int id = r.nextInt(1 << 20);
            byte[] ext = ts.toExternal(id, slots);
            String ctx = shape + " n=" + n + " ts=" + tsMode + " val=" + valMode + " iter=" + iter;
            assertEquals(ext.length, ts.externalSize(id, slots), ctx);
            assertEquals(id, ChunkTimestamps.timelineId(ext, 0), ctx);
            checkResolves(ext, timeline, s.t, s.v);
        }
    }

    /** The chunk's instants plus random ones before and after, and (interleave) between them where there is room. */
    private static long[] timelineAround(long[] t, int n, boolean interleave, SplittableRandom r) {
        long[] out = new long[3 * n + 8];
        int k = 0;
        for (int e = r.nextInt(4); e > 0 && t[0] - e > Long.MIN_VALUE / 2; e--) out[k++] = t[0] - e * 1000L;
        for (int i = 0; i < n; i++) {
            out[k++] = t[i];
            if (interleave && i + 1 < n && t[i + 1] - t[i] > 1 && r.nextInt(3) == 0) {
                out[k++] = t[i] + 1 + r.nextLong(t[i + 1] - t[i] - 1);
            }
        }
        for (int e = r.nextInt(4); e > 0 && t[n - 1] < Long.MAX_VALUE / 2; e--) out[k++] = t[n - 1] + e * 7L;
        long[] tl = Arrays.copyOf(out, k);
        Arrays.sort(tl);
        return tl;
    }

    private static void checkResolves(byte[] ext, long[] timeline, long[] t, double[] v) {
        int n = ChunkHeader.numSamples(ext, 0, ext.length);
        byte[] out = new byte[ChunkTimestamps.resolvedMaxLength(ext, 0, ext.length) + 11];
        // at an offset inside a larger array, and resolved into a buffer with stale content
        Arrays.fill(out, (byte) 0x5A);
        byte[] big = new byte[ext.length + 10];
        System.arraycopy(ext, 0, big, 3, ext.length);
        int len = ChunkTimestamps.resolve(big, 3, ext.length, timeline, out);
        assertTrue(len <= ChunkTimestamps.resolvedMaxLength(ext, 0, ext.length));
        assertEquals(ChunkEncodings.TS_PLAIN, ChunkEncodings.tsMode(out[0] & 0xFF));
        assertEquals(t[0], ChunkHeader.minT(out, 0, len));
        assertEquals(t[n - 1], ChunkHeader.maxT(out, 0, len));
        assertDecodes(new ChunkIterator().reset(out, 0, len), t, v, n, HexFormat.of().formatHex(ext));
        ChunkIterator seek = new ChunkIterator().reset(out, 0, len);
        assertTrue(seek.seek(t[n / 2]));
        assertEquals(t[n / 2], seek.atT());
    }
}
