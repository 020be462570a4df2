package tally.storage.chunk;

import static tally.storage.chunk.ChunkEncodings.TS_FOR;
import static tally.storage.chunk.ChunkEncodings.TS_GRID;
import static tally.storage.chunk.ChunkEncodings.VAL_DEC;
import static tally.storage.chunk.ChunkEncodings.VAL_DEC_FOR;
import static tally.storage.chunk.ChunkEncodings.VAL_SUM;
import static tally.storage.chunk.ChunkEncodings.VAL_SUM_FOR;
import static tally.storage.chunk.ChunkEncodings.VAL_XOR;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import tally.model.SampleIterator;

/** Decodes a chunk; reusable; allocation-free per sample and per reset. */
public final class ChunkIterator implements SampleIterator {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final BitReader tr = new BitReader();
    private final BitReader vr = new BitReader();
    private int n;
    private int i;
    private boolean done;
    private long t;
    private double v;
    private long minT;
    private long maxT;
    // timestamps
    private int tsMode;
    private int[] tsWidths;
    private long delta;
    private long forBase;
    private int forWidth;
    private boolean forZeroFlags;
    private long forNzBase;
    /** -1 when remainders are zigzag-signed, else 0. */
    private long gridSignMask;
    private int gridKq;
    private int gridKr;
    // TS_PLAIN: raw longs
    private byte[] plainBuf;
    private int plainPos;
    /** Offset of the value section of the chunk given to the last {@link #reset}. */
    private int valueStart;
    // values
    private int valMode;
    private int scale;
    private int window;
    private long m;
    private double decV;
    private double prevSum;
    private long prevBits;
    private int lead;
    private int trail;
    private long minD;
    private int valWidth;
    private boolean zeroFlags;
    private boolean escaped;
    private long escapedBits;
    private int correction;
    // VAL_SUM_FOR: the ulp correction list, read one entry ahead
    private byte[] corrBuf;
    private int corrPos;
    private int corrEnd;
    private int nextCorr;
    private int nextCorrValue;

    public ChunkIterator() {
    }

    /** Positions before the first sample of the sealed chunk {@code chunk[offset, offset+length)}. */
    public ChunkIterator reset(byte[] chunk, int offset, int length) {
        if (length < 2 || chunk[offset + 1] == 0) {
            return empty();
        }
        int id = chunk[offset] & 0xFF;
        int p = offset + 1;
        long count = Varints.get(chunk, p);
        p = Varints.skip(chunk, p);
        long lo = Varints.unzigzag(Varints.get(chunk, p));
        p = Varints.skip(chunk, p);
        long hi = lo + Varints.get(chunk, p);
        p = Varints.skip(chunk, p);
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("corrupt chunk: sample count " + count);
        }
        int ts = ChunkEncodings.tsMode(id);
        int tsStart;
        if (ts == TS_FOR) {
            long packed = Varints.get(chunk, p);
            forBase = (packed & 1) != 0 ? (packed >>> 1) * 1000 : packed >>> 1;
            p = Varints.skip(chunk, p);
            int b = chunk[p++];
            forWidth = b & 0x7F;
            forZeroFlags = b < 0;
            long bits = (count - 1) * forWidth;
            if (forZeroFlags) {
                forNzBase = Varints.get(chunk, p);
                p = Varints.skip(chunk, p);
                long late = Varints.get(chunk, p);
                p = Varints.skip(chunk, p);
                bits = (count - 1) + late * forWidth;
            }
            tsStart = p;
            p += (int) ((bits + 7) >>> 3);
        } else if (ts == TS_GRID) {
            long packed = Varints.get(chunk, p);
            forBase = (packed & 1) != 0 ? (packed >>> 1) * 1000 : packed >>> 1;
            p = Varints.skip(chunk, p);
            int flags = chunk[p++];
            gridSignMask = -(long) (flags & 1);
            gridKr = (flags >>> 1) & 7;
            gridKq = (flags >>> 4) & 7;
            long tsLen = Varints.get(chunk, p);
            p = Varints.skip(chunk, p);
            tsStart = p;
            p += (int) tsLen;
        } else if (ts == ChunkEncodings.TS_PLAIN) {
            tsStart = p;
            p += (int) ((count - 1) << 3);
        } else if (ts == ChunkEncodings.TS_EXTERNAL) {
            throw new IllegalArgumentException("chunk with external timestamps: resolve it with its block's timeline first");
        } else if (ts == ChunkEncodings.TS_DOD_PROM || ts == ChunkEncodings.TS_DOD_FINE) {
            long tsLen = Varints.get(chunk, p);
            p = Varints.skip(chunk, p);
            tsStart = p;
            p += (int) tsLen;
        } else {
            throw new IllegalArgumentException("corrupt chunk: encoding id 0x" + Integer.toHexString(id));
        }
        valueStart = p;
        int vm = ChunkEncodings.valueMode(id);
        int sc = 0;
        long m0 = 0;
        if (vm == VAL_DEC || vm == VAL_SUM || vm == VAL_DEC_FOR || vm == VAL_SUM_FOR) {
            sc = chunk[p++];
            if (sc < 0 || sc > Decimals.MAX_SCALE) {
                throw new IllegalArgumentException("corrupt chunk: scale " + sc);
            }
        } else if (vm != VAL_XOR) {
            throw new IllegalArgumentException("corrupt chunk: encoding id 0x" + Integer.toHexString(id));
        }
        long v0 = 0;
        if (vm == VAL_SUM_FOR) {
            for (int k = 0; k < 8; k++) {
                v0 = v0 << 8 | (chunk[p++] & 0xFFL);
            }
            long listLen = Varints.get(chunk, p);
            p = Varints.skip(chunk, p);
            corrBuf = chunk;
            corrPos = p;
            p += (int) listLen;
            corrEnd = p;
            nextCorr = -1;
            nextCorrEntry(0);
        }
        if (vm == VAL_DEC_FOR || vm == VAL_SUM_FOR) {
            if (vm == VAL_DEC_FOR) {
                m0 = Varints.unzigzag(Varints.get(chunk, p));
                p = Varints.skip(chunk, p);
            }
            minD = Varints.unzigzag(Varints.get(chunk, p));
            p = Varints.skip(chunk, p);
            int b = chunk[p++];
            valWidth = b & 0x7F;
            zeroFlags = b < 0;
        }
        init((int) count, lo, hi, ts, chunk, tsStart << 3, vm, sc, chunk, p << 3);
        plainBuf = chunk;
        plainPos = tsStart;
        m = m0;
        prevSum = Double.longBitsToDouble(v0);
        return this;
    }

    /** Positions before the first sample of an open chunk's streams (see ChunkEncoder#iterator). */
    ChunkIterator resetStreams(int count, long lo, long hi, int ts, byte[] tsBuf, int tsBit,
                               int vm, int sc, byte[] valBuf) {
        if (count == 0) {
            return empty();
        }
        init(count, lo, hi, ts, tsBuf, tsBit, vm, sc, valBuf, 0);
        return this;
    }

    private ChunkIterator empty() {
        n = 0;
        i = 0;
        done = true;
        minT = Long.MAX_VALUE;
        maxT = Long.MIN_VALUE;
        return this;
    }

    private void init(int count, long lo, long hi, int ts, byte[] tsBuf, int tsBit,
                      int vm, int sc, byte[] valBuf, int valBit) {
        n = count;
        i = 0;
        done = false;
        minT = lo;
        maxT = hi;
        tsMode = ts;
        tsWidths = TimestampCodes.widths(ts);
        delta = 0;
        tr.reset(tsBuf, tsBit);
        valMode = vm;
        scale = sc;
        window = 0;
        m = 0;
        decV = 0.0;
        prevSum = 0;
        prevBits = 0;
        lead = 0;
        trail = 0;
        escaped = false;
        correction = 0;
        vr.reset(valBuf, valBit);
    }

    @Override
    public boolean next() {
        if (i >= n) {
            done = true;
            return false;
        }
        if (i == 0) {
            t = minT;
        } else if (tsMode == TS_FOR) {
            if (!forZeroFlags) {
                t += forBase + tr.read(forWidth);
            } else if (tr.readBit() == 0) {
                t += forBase;
            } else {
                t += forBase + forNzBase + tr.read(forWidth);
            }
        } else if (tsMode == TS_GRID) {
            t += nextGridDelta();
        } else if (tsMode == ChunkEncodings.TS_PLAIN) {
            t = (long) LONG_LE.get(plainBuf, plainPos);
            plainPos += 8;
        } else {
            delta += TimestampCodes.read(tr, tsWidths);
            t += delta;
        }
        v = nextValue();
        i++;
        return true;
    }

    @Override
    public boolean seek(long target) {
        if (done) {
            return false;
        }
        if (i > 0 && t >= target) {
            return true;
        }
        if (target > maxT) {
            // the header bound skips whole chunks without decoding
            i = n;
            done = true;
            return false;
        }
        while (next()) {
            if (t >= target) {
                return true;
            }
        }
        return false;
    }

    /** Offset of the value section of the chunk last given to {@link #reset} (its timestamp section ends there). */
    int valueStart() {
        return valueStart;
    }

    @Override
    public long atT() {
        return t;
    }

    @Override
    public double atV() {
        return v;
    }

    private double nextValue() {
        switch (valMode) {
            case VAL_DEC: {
                long z = readInt();
                if (escaped) {
                    escaped = false;
                    return Double.longBitsToDouble(escapedBits);
                }
                if (z != 0) {
                    m += Varints.unzigzag(z);
                    decV = Decimals.toDouble(m, scale);
                }
                return decV;
            }
            case VAL_DEC_FOR: {
                if (i == 0) {
                    decV = Decimals.toDouble(m, scale);
                } else if (!zeroFlags || vr.readBit() != 0) {
                    m += minD + vr.read(valWidth);
                    decV = Decimals.toDouble(m, scale);
                }
                return decV;
            }
            case VAL_SUM: {
                if (i == 0) {
                    prevSum = Double.longBitsToDouble(vr.read(64));
                    return prevSum;
                }
                long z = readInt();
                if (escaped) {
                    escaped = false;
                    double raw = Double.longBitsToDouble(escapedBits);
                    if (Double.isFinite(raw)) {
                        prevSum = raw;
                    }
                    return raw;
                }
                prevSum = prevSum + Decimals.toDouble(Varints.unzigzag(z), scale);
                if (correction != 0) {
                    prevSum = Double.longBitsToDouble(Double.doubleToRawLongBits(prevSum) + correction);
                    correction = 0;
                }
                return prevSum;
            }
            case VAL_SUM_FOR: {
                if (i > 0) {
                    long d = !zeroFlags || vr.readBit() != 0 ? minD + vr.read(valWidth) : 0;
                    prevSum = prevSum + Decimals.toDouble(d, scale);
                    if (i == nextCorr) {
                        prevSum = Double.longBitsToDouble(Double.doubleToRawLongBits(prevSum) + nextCorrValue);
                        nextCorrEntry(i);
                    }
                }
                return prevSum;
            }
            case VAL_XOR:
                return nextXor();
            default:
                throw new IllegalStateException("corrupt chunk: value mode " + valMode);
        }
    }

    /**
     * One interval-grid delta. Both Exp-Golomb codes come out of a single 64-bit peek when they fit, without
     * data-dependent branches: q and r vary from sample to sample and mispredictions would dominate.
     */
    private long nextGridDelta() {
        BitReader r = tr;
        long p = r.peek64();
        int kq = gridKq;
        int kr = gridKr;
        int lq = 2 * Long.numberOfLeadingZeros(p) + 1;
        if (lq <= 31) {
            // (x << used) >>> 1 >>> (63 - k) is the next k bits, and 0 when k = 0
            long xq = ((p >>> (64 - lq)) - 1) << kq | (p << lq) >>> 1 >>> (63 - kq);
            int used = lq + kq;
            long p2 = p << used;
            int lr = 2 * Long.numberOfLeadingZeros(p2) + 1;
            if (lr <= 31 && used + lr + kr <= 64) {
                long xr = ((p2 >>> (64 - lr)) - 1) << kr | (p2 << lr) >>> 1 >>> (63 - kr);
                r.pos += used + lr + kr;
                return gridDelta(xq, xr);
            }
            r.pos += used;
            return gridDelta(xq, TsGrid.readExpGolomb(r, kr));
        }
        long xq = TsGrid.readExpGolomb(r, kq);
        return gridDelta(xq, TsGrid.readExpGolomb(r, kr));
    }

    /** q from its code (code 1 = one interval, 2 = none, c = c - 1 intervals) times the base, plus the remainder. */
    private long gridDelta(long xq, long xr) {
        long q = xq + (xq == 0 ? 1 : 0) - (xq == 1 ? 1 : 0);
        long sm = gridSignMask;
        return q * forBase + ((xr >>> (sm & 1)) ^ (-(xr & 1) & sm));
    }

    /** Reads the next correction entry (relative to sample {@code at}), or leaves none pending. */
    private void nextCorrEntry(int at) {
        if (corrPos >= corrEnd) {
            nextCorr = -1;
            return;
        }
        // one pass over the varint (get then skip read it twice: this list is read once per corrected sample)
        byte[] b = corrBuf;
        int p = corrPos;
        long e = 0;
        for (int shift = 0; ; shift += 7) {
            if (shift > 63) throw new IllegalArgumentException("corrupt chunk: varint too long");
            byte x = b[p++];
            e |= (long) (x & 0x7F) << shift;
            if (x >= 0) break;
        }
        corrPos = p;
        nextCorr = at + (int) (e >>> 2);
        nextCorrValue = SumFor.correctionOf(e);
    }

    /** Adaptive integer code (see ValueStream): returns the zigzag value, or sets {@link #escaped}. */
    private long readInt() {
        BitReader r = vr;
        long p = r.peek64();
        if (p >= 0) {
            r.pos += 1;
            return 0;
        }
        if ((p << 1) >= 0) {
            int w = window;
            if (w == 0 || w > 62) {
                throw new IllegalStateException("corrupt chunk: value window " + w);
            }
            r.pos += 2 + w;
            return (p << 2) >>> (64 - w);
        }
        int k = (int) ((p << 2) >>> 58);
        if (k == 0) {
            r.pos += 8;
            escapedBits = r.read(64);
            escaped = true;
            return 0;
        }
        if (k == 63) {
            // ulp correction for the SUM step that follows
            r.pos += 8;
            int c = (int) r.read(2);
            correction = c < 2 ? c - 2 : c - 1;
            return readInt();
        }
        window = k;
        if (k <= 56) {
            r.pos += 8 + k;
            return (p << 8) >>> (64 - k);
        }
        r.pos += 8;
        return r.read(k);
    }

    private double nextXor() {
        BitReader r = vr;
        if (i == 0) {
            prevBits = r.read(64);
            return Double.longBitsToDouble(prevBits);
        }
        long p = r.peek64();
        if (p >= 0) {
            r.pos += 1;
        } else if ((p << 1) >= 0) {
            r.pos += 2;
            prevBits ^= r.read(64 - lead - trail) << trail;
        } else {
            int l = (int) ((p << 2) >>> 59);
            int sig = (int) ((p << 7) >>> 58);
            if (sig == 0) {
                sig = 64;
            }
            r.pos += 13;
            lead = l;
            trail = 64 - l - sig;
            if (trail < 0) {
                throw new IllegalStateException("corrupt chunk: xor window");
            }
            prevBits ^= r.read(sig) << trail;
        }
        return Double.longBitsToDouble(prevBits);
    }
}
