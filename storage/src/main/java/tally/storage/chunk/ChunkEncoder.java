package tally.storage.chunk;

import static tally.storage.chunk.ChunkEncodings.TS_DOD_FINE;
import static tally.storage.chunk.ChunkEncodings.TS_DOD_PROM;
import static tally.storage.chunk.ChunkEncodings.VAL_DEC;
import static tally.storage.chunk.ChunkEncodings.VAL_DEC_FOR;
import static tally.storage.chunk.ChunkEncodings.VAL_SUM;
import static tally.storage.chunk.ChunkEncodings.VAL_XOR;

/**
 * Appends samples to one open chunk; reusable via reset(). Not thread-safe (caller locks).
 *
 * <p>The open chunk is two append-only bit streams: timestamps as delta-of-deltas and values in the
 * cheapest streaming mode that holds them exactly (exact decimals, then float sums of decimals). A value
 * the mode cannot hold rebuilds the value stream into a fresh array (rare, bounded per chunk), so
 * snapshot readers are never disturbed. {@link #toBytes()} re-packs each section if a sealed-only
 * layout (frame of reference, XOR) is smaller.
 */
public final class ChunkEncoder {
    private final int forcedTs;
    private final int forcedVal;
    private final int tsMode;
    private final BitWriter ts = new BitWriter();
    private final ValueStream vals = new ValueStream();
    private int n;
    private long minT;
    private long maxT;
    private long prevDelta;
    private double lastV;

    public ChunkEncoder() {
        this(0, 0);
    }

    /** Forces an encoding (0 = automatic); see {@link ChunkEncodings#encode}. */
    ChunkEncoder(int forcedTs, int forcedVal) {
        this.forcedTs = forcedTs;
        this.forcedVal = forcedVal;
        this.tsMode = forcedTs == TS_DOD_PROM ? TS_DOD_PROM : TS_DOD_FINE;
    }

    /** Empty again, reusing buffers (unless a reader may still hold them). */
    public void reset() {
        ts.reset();
        vals.clear();
        n = 0;
        prevDelta = 0;
    }

    /** Caller guarantees t > maxT() when numSamples() > 0. */
    public void append(long t, double v) {
        if (n == 0) {
            minT = t;
        } else {
            long delta = t - maxT;
            TimestampCodes.write(ts, delta - prevDelta, TimestampCodes.widths(tsMode));
            prevDelta = delta;
        }
        maxT = t;
        appendValue(v);
        lastV = v;
        n++;
    }

    public int numSamples() {
        return n;
    }

    public long minT() {
        return minT;
    }

    public long maxT() {
        return maxT;
    }

    /** Current encoded size, close to what toBytes() returns (before sealed-only re-packing). */
    public int sizeBytes() {
        if (n == 0) {
            return 2;
        }
        int tsBytes = ts.byteLen();
        return 1 + Varints.size(n) + Varints.size(Varints.zigzag(minT)) + Varints.size(maxT - minT)
            + Varints.size(tsBytes) + tsBytes + 1 + vals.out.byteLen();
    }

    /** The sealed chunk: compact, self-describing (first byte = encoding id). */
    public byte[] toBytes() {
        return ChunkSealer.seal(this);
    }

    /**
     * Snapshot iterator over exactly the samples appended so far. Safe while later append() calls run on
     * another thread: it keeps the current arrays, whose written bits never change.
     */
    public ChunkIterator iterator(ChunkIterator reuse) {
        ChunkIterator it = reuse != null ? reuse : new ChunkIterator();
        ts.shared = true;
        vals.out.shared = true;
        return snapshot(it);
    }

    /** Like {@link #iterator}, but re-iterable: a frozen view of the samples appended so far. */
    public ChunkSnapshot snapshot() {
        ts.shared = true;
        vals.out.shared = true;
        return new ChunkSnapshot(n, minT, maxT, tsMode, ts.buf, vals.mode, vals.scale, vals.out.buf);
    }

    /** Rebuilds an open encoder from sealed bytes (used at restart), so appending can continue. */
    public static ChunkEncoder fromBytes(byte[] chunk, int off, int len) {
        ChunkEncoder e = new ChunkEncoder();
        ChunkIterator it = new ChunkIterator().reset(chunk, off, len);
        while (it.next()) {
            e.append(it.atT(), it.atV());
        }
        return e;
    }

    /** Iterator over the current state without marking buffers shared (same-thread use only). */
    ChunkIterator snapshot(ChunkIterator it) {
        return it.resetStreams(n, minT, maxT, tsMode, ts.buf, 0, vals.mode, vals.scale, vals.out.buf);
    }

    int tsMode() {
        return tsMode;
    }

    BitWriter tsStream() {
        return ts;
    }

    ValueStream valueStream() {
        return vals;
    }

    int forcedTs() {
        return forcedTs;
    }

    int forcedVal() {
        return forcedVal;
    }

    private void appendValue(double v) {
        if (n == 0) {
            vals.start(initialMode(v), initialScale(v), false);
        }
        if (vals.tryAppend(v)) {
            return;
        }
        if (vals.mode == VAL_DEC) {
            int s = Decimals.minScale(v, vals.scale + 1);
            if (s >= 0 && rebuild(VAL_DEC, s, v, false)) {
                return;
            }
            if (forcedVal == VAL_DEC || forcedVal == VAL_DEC_FOR) {
                throw new ChunkEncodings.NotRepresentableException();
            }
            rebuild(VAL_SUM, Math.max(Decimals.stepScale(lastV, v, 0), 0), v, true);
            return;
        }
        // SUM: a step that fits only at a finer scale rebuilds once at that scale; otherwise store it raw.
        int s = Decimals.stepScale(vals.prevSum, v, vals.scale + 1);
        if (s < 0 || !rebuild(VAL_SUM, s, v, true)) {
            vals.escape(v);
            vals.count++;
        }
    }

    private int initialMode(double v) {
        if (forcedVal == VAL_XOR || forcedVal == VAL_SUM) {
            return forcedVal;
        }
        if (forcedVal == ChunkEncodings.VAL_SUM_FOR) {
            return VAL_SUM; // sealed from the SUM stream
        }
        if (forcedVal != 0 || Decimals.special(v) || Decimals.minScale(v, 0) >= 0) {
            return VAL_DEC;
        }
        return VAL_SUM;
    }

    private int initialScale(double v) {
        int s = Decimals.special(v) ? 0 : Decimals.minScale(v, 0);
        return Math.max(s, 0);
    }

    /**
     * Re-encodes the values so far plus v in mode/scale into a fresh array. With lenient, misfits are
     * escaped; otherwise returns false (state unchanged) on the first misfit.
     */
    private boolean rebuild(int mode, int scale, double v, boolean lenient) {
        double[] old = new double[n + 1];
        ChunkIterator it = snapshot(new ChunkIterator());
        int k = 0;
        while (it.next()) {
            old[k++] = it.atV();
        }
        old[k++] = v;
        if (!lenient) {
            // dry run: a finer decimal scale can push a mantissa past 2^53
            for (int i = 0; i < k; i++) {
                if (!Decimals.special(old[i]) && Decimals.scaled(old[i], scale) == Decimals.NONE) {
                    return false;
                }
            }
        }
        vals.start(mode, scale, true);
        for (int i = 0; i < k; i++) {
            vals.appendOrEscape(old[i]);
        }
        return true;
    }
}
