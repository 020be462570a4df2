package tally.storage.chunk;

/**
 * Sealed layout of a float-sum chunk (VAL_SUM_FOR): the integer steps d in {@link DeltaFor}, and the rare ulp
 * corrections in a separate list, so a step costs its fixed width and nothing else. Applies to SUM chunks
 * without escapes, whose every step is reachable at the stream's scale.
 */
final class SumFor {
    DeltaFor steps;
    int listLen;
    int size;

    /** The plan, or null when a value needs an escape. Fills d[1..n-1] with the steps and c[] with corrections. */
    static SumFor plan(double[] v, long[] d, int[] c, int n, int scale) {
        int list = 0;
        int last = 0;
        for (int i = 1; i < n; i++) {
            long step = Decimals.step(v[i - 1], v[i], scale);
            int corr = step == Decimals.NONE ? Decimals.NO_CORRECTION : Decimals.correction(v[i - 1], step, scale, v[i]);
            if (corr == Decimals.NO_CORRECTION) {
                return null;
            }
            d[i] = step;
            c[i] = corr;
            if (corr != 0) {
                list += Varints.size(entry(i - last, corr));
                last = i;
            }
        }
        if (n > 0 && !Double.isFinite(v[0])) {
            return null; // the decoder adds steps to v[0]
        }
        SumFor f = new SumFor();
        f.steps = DeltaFor.plan(d, n);
        f.listLen = list;
        f.size = 1 + 8 + Varints.size(list) + list + f.steps.size;
        return f;
    }

    /** A correction list entry: the distance from the previous corrected sample, and c in 2 bits. */
    static long entry(int gap, int corr) {
        return (long) gap << 2 | (corr < 0 ? corr + 2 : corr + 1);
    }

    static int correctionOf(long entry) {
        int code = (int) (entry & 3);
        return code < 2 ? code - 2 : code - 1;
    }

    /** Writes everything after the scale byte; returns the end offset. */
    int write(byte[] out, int p, double[] v, long[] d, int[] c, int n, BitWriter b) {
        long bits = Double.doubleToRawLongBits(v[0]);
        for (int k = 7; k >= 0; k--) {
            out[p++] = (byte) (bits >>> (8 * k));
        }
        p = Varints.put(out, p, listLen);
        int last = 0;
        for (int i = 1; i < n; i++) {
            if (c[i] != 0) {
                p = Varints.put(out, p, entry(i - last, c[i]));
                last = i;
            }
        }
        return steps.write(out, p, d, n, b);
    }
}
