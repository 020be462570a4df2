package tally.storage.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tally.storage.chunk.ChunkTestSupport.assertDecodes;
import static tally.storage.chunk.ChunkTestSupport.encoder;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Seeded property tests: every shape round-trips bit-exactly through every path and encoding. */
class ChunkRoundTripTest {
    private static final int[] TS_MODES = {ChunkEncodings.TS_DOD_PROM, ChunkEncodings.TS_DOD_FINE, ChunkEncodings.TS_FOR,
        ChunkEncodings.TS_GRID};
    private static final int[] VAL_MODES = {ChunkEncodings.VAL_XOR, ChunkEncodings.VAL_DEC,
        ChunkEncodings.VAL_DEC_FOR, ChunkEncodings.VAL_SUM, ChunkEncodings.VAL_SUM_FOR};

    @Test
    void sealedBytesRoundTripWithHeader() {
        SplittableRandom r = new SplittableRandom(1);
        ChunkIterator it = new ChunkIterator();
        for (int iter = 0; iter < 3000; iter++) {
            String shape = Shapes.NAMES[iter % Shapes.NAMES.length];
            int n = r.nextInt(0, 300);
            Shapes s = Shapes.make(shape, n, r);
            byte[] c = encoder(s.t, s.v, n).toBytes();
            String ctx = shape + " n=" + n + " iter=" + iter;
            // embed in a larger array to check offsets are honoured
            byte[] big = new byte[c.length + 20];
            java.util.Arrays.fill(big, (byte) 0x5A);
            System.arraycopy(c, 0, big, 7, c.length);
            assertDecodes(it.reset(big, 7, c.length), s.t, s.v, n, ctx);
            assertEquals(n, ChunkHeader.numSamples(big, 7, c.length), ctx);
            if (n > 0) {
                assertEquals(s.t[0], ChunkHeader.minT(big, 7, c.length), ctx);
                assertEquals(s.t[n - 1], ChunkHeader.maxT(big, 7, c.length), ctx);
            }
        }
    }

    @Test
    void everyForcedEncodingRoundTrips() {
        SplittableRandom r = new SplittableRandom(2);
        ChunkIterator it = new ChunkIterator();
        for (int iter = 0; iter < 600; iter++) {
            String shape = Shapes.NAMES[iter % Shapes.NAMES.length];
            int n = r.nextInt(1, 200);
            Shapes s = Shapes.make(shape, n, r);
            for (int ts : TS_MODES) {
                for (int vm : VAL_MODES) {
                    byte[] c = ChunkEncodings.encode(s.t, s.v, n, ts, vm);
                    String ctx = shape + " ts=" + ts + " val=" + vm + " iter=" + iter;
                    if (vm == ChunkEncodings.VAL_XOR || vm == ChunkEncodings.VAL_SUM) {
                        assertNotNull(c, ctx);
                    }
                    if (c != null) {
                        assertEquals(ChunkEncodings.id(ts, vm), c[0] & 0xFF, ctx);
                        assertDecodes(it.reset(c, 0, c.length), s.t, s.v, n, ctx);
                    }
                }
            }
        }
    }

    @Test
    void decimalShapesGetForcedDecimalEncodings() {
        SplittableRandom r = new SplittableRandom(3);
        for (String shape : new String[] {"claudeCounter", "gauge2dec", "intCounter", "constant"}) {
            Shapes s = Shapes.make(shape, 120, r);
            assertNotNull(ChunkEncodings.encode(s.t, s.v, 120, ChunkEncodings.TS_FOR, ChunkEncodings.VAL_DEC_FOR), shape);
            assertNotNull(ChunkEncodings.encode(s.t, s.v, 120, ChunkEncodings.TS_DOD_FINE, ChunkEncodings.VAL_DEC), shape);
        }
    }

    @Test
    void snapshotsSeeExactlyTheSamplesAppendedBefore() {
        SplittableRandom r = new SplittableRandom(4);
        for (int iter = 0; iter < 400; iter++) {
            String shape = Shapes.NAMES[iter % Shapes.NAMES.length];
            int n = r.nextInt(1, 200);
            Shapes s = Shapes.make(shape, n, r);
            ChunkEncoder e = new ChunkEncoder();
            ChunkIterator[] snaps = new ChunkIterator[n + 1];
            snaps[0] = e.iterator(null);
            for (int i = 0; i < n; i++) {
                e.append(s.t[i], s.v[i]);
                snaps[i + 1] = e.iterator(null);
                assertEquals(i + 1, e.numSamples());
                assertEquals(s.t[0], e.minT());
                assertEquals(s.t[i], e.maxT());
            }
            // read every snapshot only after all appends: later writes must not leak into them
            for (int k = 0; k <= n; k++) {
                assertDecodes(snaps[k], s.t, s.v, k, shape + " snapshot " + k + " iter=" + iter);
            }
        }
    }

    @Test
    void fromBytesContinuesAppending() {
        SplittableRandom r = new SplittableRandom(5);
        ChunkIterator it = new ChunkIterator();
        for (int iter = 0; iter < 800; iter++) {
            String shape = Shapes.NAMES[iter % Shapes.NAMES.length];
            int n = r.nextInt(1, 250);
            Shapes s = Shapes.make(shape, n, r);
            int cut = r.nextInt(0, n + 1);
            byte[] first = encoder(s.t, s.v, cut).toBytes();
            ChunkEncoder e = ChunkEncoder.fromBytes(first, 0, first.length);
            assertEquals(cut, e.numSamples());
            for (int i = cut; i < n; i++) {
                e.append(s.t[i], s.v[i]);
            }
            String ctx = shape + " cut=" + cut + " n=" + n;
            assertDecodes(e.iterator(it), s.t, s.v, n, ctx + " (open)");
            byte[] c = e.toBytes();
            assertDecodes(it.reset(c, 0, c.length), s.t, s.v, n, ctx + " (sealed)");
        }
    }

    @Test
    void resetReusesTheEncoderWithoutDisturbingEarlierSnapshots() {
        SplittableRandom r = new SplittableRandom(6);
        ChunkEncoder e = new ChunkEncoder();
        for (int iter = 0; iter < 300; iter++) {
            String shape = Shapes.NAMES[iter % Shapes.NAMES.length];
            int n = r.nextInt(1, 150);
            Shapes s = Shapes.make(shape, n, r);
            e.reset();
            assertEquals(0, e.numSamples());
            for (int i = 0; i < n; i++) {
                e.append(s.t[i], s.v[i]);
            }
            ChunkIterator held = e.iterator(null);
            byte[] c = e.toBytes();
            e.reset();
            Shapes other = Shapes.make("randomDoubles", 50, r);
            for (int i = 0; i < 50; i++) {
                e.append(other.t[i], other.v[i]);
            }
            assertDecodes(held, s.t, s.v, n, shape + " held snapshot across reset");
            assertDecodes(new ChunkIterator().reset(c, 0, c.length), s.t, s.v, n, shape + " sealed");
        }
    }

    @Test
    void sizeBytesTracksTheSealedSize() {
        SplittableRandom r = new SplittableRandom(7);
        for (String shape : Shapes.NAMES) {
            Shapes s = Shapes.make(shape, 200, r);
            ChunkEncoder e = encoder(s.t, s.v, 200);
            int sealed = e.toBytes().length;
            assertTrue(sealed <= e.sizeBytes() + 2, shape + ": sealed " + sealed + " > estimate " + e.sizeBytes());
        }
    }
}
