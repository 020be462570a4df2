package tally.storage.chunk;

import static tally.storage.chunk.ChunkEncodings.TS_DOD_FINE;
import static tally.storage.chunk.ChunkEncodings.TS_FOR;
import static tally.storage.chunk.ChunkEncodings.TS_GRID;
import static tally.storage.chunk.ChunkEncodings.VAL_DEC;
import static tally.storage.chunk.ChunkEncodings.VAL_DEC_FOR;
import static tally.storage.chunk.ChunkEncodings.VAL_SUM;
import static tally.storage.chunk.ChunkEncodings.VAL_SUM_FOR;
import static tally.storage.chunk.ChunkEncodings.VAL_XOR;

/**
 * Turns an open chunk into its sealed bytes. Each section keeps its streaming form unless a sealed-only
 * layout is smaller: frame-of-reference timestamps (0 bits/sample on a regular interval), frame-of-reference
 * decimal deltas, or XOR for float values the SUM stream could not hold well.
 */
final class ChunkSealer {
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private ChunkSealer() {}

    private static final class Scratch {
        long[] t = new long[256];
        double[] v = new double[256];
        long[] m = new long[256];
        long[] d = new long[256];
        int[] c = new int[256];
        final ChunkIterator it = new ChunkIterator();
        final BitWriter bits = new BitWriter();
        final ValueStream xor = new ValueStream();
        final TsGrid grid = new TsGrid();
        final TsGrid gridAlt = new TsGrid();

        void ensure(int n) {
            if (t.length < n) {
                int cap = Math.max(n, t.length * 2);
                t = new long[cap];
                v = new double[cap];
                m = new long[cap];
                d = new long[cap];
                c = new int[cap];
            }
        }
    }

    static byte[] seal(ChunkEncoder enc) {
        int n = enc.numSamples();
        ValueStream vs = enc.valueStream();
        if (n == 0) {
            return new byte[] {(byte) ChunkEncodings.id(enc.tsMode(), VAL_DEC), 0};
        }
        Scratch s = SCRATCH.get();
        s.ensure(n);
        long[] t = s.t;
        double[] v = s.v;
        ChunkIterator it = enc.snapshot(s.it);
        for (int i = 0; it.next(); i++) {
            t[i] = it.atT();
            v[i] = it.atV();
        }
        int forcedTs = enc.forcedTs();
        int forcedVal = enc.forcedVal();

        // timestamp section: streaming delta-of-delta vs frame of reference
        BitWriter dod = enc.tsStream();
        int dodSize = Varints.size(dod.byteLen()) + dod.byteLen();
        TsFor tf = TsFor.plan(t, n);
        if (forcedTs == TS_FOR && tf.size == Integer.MAX_VALUE) {
            throw new ChunkEncodings.NotRepresentableException();
        }
        TsGrid grid = s.grid;
        if (forcedTs == TS_GRID || (forcedTs == 0 && TsGrid.minSize(n) < Math.min(tf.size, dodSize))) {
            grid = TsGrid.plan(t, n, s.grid, s.gridAlt);
        } else {
            grid.size = Integer.MAX_VALUE; // cannot be strictly smaller than FoR or delta-of-delta
        }
        if (forcedTs == TS_GRID && grid.size == Integer.MAX_VALUE) {
            throw new ChunkEncodings.NotRepresentableException();
        }
        boolean tsFor = forcedTs == TS_FOR || (forcedTs == 0 && tf.size < dodSize && tf.size <= grid.size);
        boolean tsGrid = forcedTs == TS_GRID || (forcedTs == 0 && !tsFor && grid.size < dodSize);
        int tsSize = tsFor ? tf.size : tsGrid ? grid.size : dodSize;

        // value section: streaming mode vs sealed-only candidates
        int valMode = vs.mode;
        int valSize = (valMode == VAL_XOR ? 0 : 1) + vs.out.byteLen();
        DeltaFor decFor = null;
        if (forcedVal == VAL_DEC_FOR && (valMode != VAL_DEC || vs.escapes > 0)) {
            throw new ChunkEncodings.NotRepresentableException();
        }
        if (valMode == VAL_DEC && vs.escapes == 0 && (forcedVal == 0 || forcedVal == VAL_DEC_FOR)) {
            long[] m = s.m;
            long[] d = s.d;
            for (int i = 0; i < n; i++) {
                m[i] = Decimals.scaled(v[i], vs.scale);
                d[i] = i == 0 ? 0 : m[i] - m[i - 1];
            }
            DeltaFor c = DeltaFor.plan(d, n);
            int size = 1 + Varints.size(Varints.zigzag(m[0])) + c.size;
            if (forcedVal == VAL_DEC_FOR || size < valSize) {
                decFor = c;
                valMode = VAL_DEC_FOR;
                valSize = size;
            }
        }
        SumFor sumFor = null;
        if (forcedVal == VAL_SUM_FOR && (valMode != VAL_SUM || vs.escapes > 0)) {
            throw new ChunkEncodings.NotRepresentableException();
        }
        if (valMode == VAL_SUM && vs.escapes == 0 && (forcedVal == 0 || forcedVal == VAL_SUM_FOR)) {
            SumFor f = SumFor.plan(v, s.d, s.c, n, vs.scale);
            if (f == null && forcedVal == VAL_SUM_FOR) {
                throw new ChunkEncodings.NotRepresentableException();
            }
            if (f != null && (forcedVal == VAL_SUM_FOR || f.size < valSize)) {
                sumFor = f;
                valMode = VAL_SUM_FOR;
                valSize = f.size;
            }
        }
        ValueStream xor = null;
        if ((valMode == VAL_SUM || valMode == VAL_SUM_FOR) && forcedVal == 0) {
            s.xor.start(VAL_XOR, 0, false);
            for (int i = 0; i < n; i++) {
                s.xor.tryAppend(v[i]);
            }
            if (s.xor.out.byteLen() < valSize) {
                xor = s.xor;
                valMode = VAL_XOR;
                valSize = xor.out.byteLen();
                sumFor = null;
            }
        }

        int tsMode = tsFor ? TS_FOR : tsGrid ? TS_GRID : enc.tsMode();
        long span = enc.maxT() - enc.minT();
        int headerSize = 1 + Varints.size(n) + Varints.size(Varints.zigzag(enc.minT())) + Varints.size(span);
        byte[] out = new byte[headerSize + tsSize + valSize];
        out[0] = (byte) ChunkEncodings.id(tsMode, valMode);
        int p = Varints.put(out, 1, n);
        p = Varints.put(out, p, Varints.zigzag(enc.minT()));
        p = Varints.put(out, p, span);
        if (tsFor) {
            p = tf.write(out, p, t, n, s.bits);
        } else if (tsGrid) {
            p = grid.write(out, p, t, n, s.bits);
        } else {
            p = Varints.put(out, p, dod.byteLen());
            p = dod.copyTo(out, p);
        }
        if (decFor != null) {
            out[p++] = (byte) vs.scale;
            p = Varints.put(out, p, Varints.zigzag(s.m[0]));
            decFor.write(out, p, s.d, n, s.bits);
        } else if (sumFor != null) {
            out[p++] = (byte) vs.scale;
            sumFor.write(out, p, v, s.d, s.c, n, s.bits);
        } else if (xor != null) {
            xor.out.copyTo(out, p);
        } else {
            if (valMode != VAL_XOR) {
                out[p++] = (byte) vs.scale;
            }
            vs.out.copyTo(out, p);
        }
        return out;
    }

    /**
     * Frame-of-reference plan for timestamps: base = smallest delta; offsets from it in a fixed width, or
     * (zero flags) '0' for a delta equal to the base and '1' + width bits of (offset - nzBase) otherwise,
     * with the count of '1' entries stored so a reader finds the next section in O(1):
     * real exports land exactly on the interval about half the time and a few ms late otherwise.
     */
    static final class TsFor {
        static final long MAX_FOR_BASE = 1L << 62;

        long base;
        long nzBase;
        int late;
        int width;
        boolean zeroFlags;
        int size;

        static TsFor plan(long[] t, int n) {
            long base = -1; // unsigned minimum
            for (int i = 1; i < n; i++) {
                long d = t[i] - t[i - 1];
                if (Long.compareUnsigned(d, base) < 0) {
                    base = d;
                }
            }
            if (n == 1) {
                base = 0;
            }
            long maxX = 0;
            long minNz = -1;
            long maxNz = 0;
            int zeros = 0;
            for (int i = 1; i < n; i++) {
                long x = t[i] - t[i - 1] - base;
                if (x == 0) {
                    zeros++;
                    continue;
                }
                if (Long.compareUnsigned(x, maxX) > 0) {
                    maxX = x;
                    maxNz = x;
                }
                if (Long.compareUnsigned(x, minNz) < 0) {
                    minNz = x;
                }
            }
            TsFor f = new TsFor();
            f.base = base;
            if (Long.compareUnsigned(base, MAX_FOR_BASE) >= 0) {
                f.size = Integer.MAX_VALUE; // one gigantic delta: delta-of-delta handles it
                return f;
            }
            int baseSize = Varints.size(packBase(base));
            int plainWidth = 64 - Long.numberOfLeadingZeros(maxX);
            long plainBits = (long) (n - 1) * plainWidth;
            int plainSize = baseSize + 1 + (int) ((plainBits + 7) >>> 3);
            f.width = plainWidth;
            f.size = plainSize;
            if (zeros > 0 && zeros < n - 1) {
                int nzWidth = 64 - Long.numberOfLeadingZeros(maxNz - minNz);
                long flagBits = (n - 1) + (long) (n - 1 - zeros) * nzWidth;
                int flagSize = baseSize + 1 + Varints.size(minNz) + Varints.size(n - 1 - zeros)
                    + (int) ((flagBits + 7) >>> 3);
                if (flagSize < plainSize) {
                    f.zeroFlags = true;
                    f.late = n - 1 - zeros;
                    f.nzBase = minNz;
                    f.width = nzWidth;
                    f.size = flagSize;
                }
            }
            return f;
        }

        /** Whole seconds (the usual scrape/export intervals) cost one byte: low bit 1 = base in seconds. */
        static long packBase(long base) {
            return base % 1000 == 0 ? (base / 1000) << 1 | 1 : base << 1;
        }

        int write(byte[] out, int p, long[] t, int n, BitWriter b) {
            p = Varints.put(out, p, packBase(base));
            out[p++] = (byte) (width | (zeroFlags ? 0x80 : 0));
            if (zeroFlags) {
                p = Varints.put(out, p, nzBase);
                p = Varints.put(out, p, late);
            }
            b.reset();
            for (int i = 1; i < n; i++) {
                long x = t[i] - t[i - 1] - base;
                if (zeroFlags) {
                    if (x == 0) {
                        b.writeBit(0);
                        continue;
                    }
                    b.writeBit(1);
                    x -= nzBase;
                }
                b.write(x, width);
            }
            return b.copyTo(out, p);
        }
    }
}
