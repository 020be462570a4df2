package tally.storage.chunk;

import static tally.storage.chunk.ChunkEncodings.VAL_DEC;
import static tally.storage.chunk.ChunkEncodings.VAL_SUM;
import static tally.storage.chunk.ChunkEncodings.VAL_XOR;

/**
 * Writes the value section of an open chunk in one streaming mode (XOR, DEC or SUM). DEC and SUM share an
 * adaptive integer code: '0' = zero; '10' + W bits = zigzag fitting the current window W; '11' + 6-bit
 * width k + k bits = new window; '11' + 000000 + 64 raw bits = escape (NaN, stale, Inf, -0.0, misfits);
 * in SUM, '11' + 111111 + 2 bits c (-2,-1,+1,+2) before a step adds c to the raw bits of prev + d/10^s.
 */
final class ValueStream {
    final BitWriter out = new BitWriter();
    int mode;
    int scale;
    int count;
    int escapes;
    // DEC/SUM state
    int window;
    long prevM;
    double prevSum;
    // XOR state
    long prevBits;
    int lead = -1;
    int trail;

    /** Starts an empty stream; {@code fresh} (a rebuild) writes into a new array that no reader holds. */
    void start(int mode, int scale, boolean fresh) {
        if (fresh) {
            out.shared = true;
        }
        out.reset();
        this.mode = mode;
        this.scale = scale;
        count = 0;
        escapes = 0;
        window = 0;
        prevM = 0;
        prevSum = 0;
        prevBits = 0;
        lead = -1;
        trail = 0;
    }

    void clear() {
        out.reset();
        count = 0;
        mode = 0;
    }

    /** Appends v; false when the current mode/scale cannot hold it exactly (the caller rebuilds or escapes). */
    boolean tryAppend(double v) {
        switch (mode) {
            case VAL_XOR:
                appendXor(Double.doubleToRawLongBits(v));
                count++;
                return true;
            case VAL_DEC: {
                long m = Decimals.scaled(v, scale);
                if (m == Decimals.NONE) {
                    if (!Decimals.special(v)) {
                        return false;
                    }
                    escape(v);
                } else {
                    writeInt(Varints.zigzag(m - prevM));
                    prevM = m;
                }
                count++;
                return true;
            }
            case VAL_SUM: {
                if (count == 0) {
                    out.write(Double.doubleToRawLongBits(v), 64);
                    prevSum = v;
                } else {
                    long d = Decimals.step(prevSum, v, scale);
                    int c = d == Decimals.NONE ? Decimals.NO_CORRECTION : Decimals.correction(prevSum, d, scale, v);
                    if (c == Decimals.NO_CORRECTION) {
                        if (!Decimals.special(v)) {
                            return false;
                        }
                        escape(v);
                    } else {
                        if (c != 0) {
                            out.write(0b11_111111, 8);
                            out.write(c < 0 ? c + 2 : c + 1, 2);
                        }
                        writeInt(Varints.zigzag(d));
                        prevSum = v;
                    }
                }
                count++;
                return true;
            }
            default:
                throw new IllegalStateException("no value mode");
        }
    }

    /** Stores v raw; in SUM a finite escaped value becomes the base of the next step. */
    void escape(double v) {
        out.write(0b11_000000, 8);
        out.write(Double.doubleToRawLongBits(v), 64);
        escapes++;
        if (mode == VAL_SUM && Double.isFinite(v)) {
            prevSum = v;
        }
    }

    void appendOrEscape(double v) {
        if (!tryAppend(v)) {
            escape(v);
            count++;
        }
    }

    private void writeInt(long z) {
        if (z == 0) {
            out.writeBit(0);
            return;
        }
        int w = 64 - Long.numberOfLeadingZeros(z);
        // keep the window unless declaring a narrower one saves bits
        // prefix and payload go out in one write (w <= 55, so 8 + w fits in 64 bits)
        if (w <= window && w + 8 >= window + 2) {
            out.write(2L << window | z, 2 + window);
        } else {
            out.write((long) (0b11_000000 | w) << w | z, 8 + w);
            window = w;
        }
    }

    private void appendXor(long bits) {
        if (count == 0) {
            out.write(bits, 64);
            prevBits = bits;
            return;
        }
        long x = bits ^ prevBits;
        prevBits = bits;
        if (x == 0) {
            out.writeBit(0);
            return;
        }
        int l = Math.min(Long.numberOfLeadingZeros(x), 31);
        int t = Long.numberOfTrailingZeros(x);
        if (lead >= 0 && l >= lead && t >= trail) {
            int sig = 64 - lead - trail;
            if (sig <= 62) {
                out.write(2L << sig | x >>> trail, 2 + sig);
            } else {
                out.write(0b10, 2);
                out.write(x >>> trail, sig);
            }
        } else {
            int sig = 64 - l - t;
            out.write(0b11L << 11 | (long) l << 6 | (sig & 63), 13); // 64 significant bits is written as 0
            out.write(x >>> t, sig);
            lead = l;
            trail = t;
        }
    }
}
