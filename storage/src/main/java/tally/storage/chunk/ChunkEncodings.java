package tally.storage.chunk;

/**
 * Encoding ids of sealed chunks. The first byte of a chunk is {@code tsMode << 4 | valueMode}: the
 * timestamp section and the value section are chosen independently (docs/chunk-format.md).
 * {@link #encode} forces one combination; tests and the size report use it to compare encodings.
 */
public final class ChunkEncodings {
    /** Delta-of-delta timestamps with Prometheus's millisecond buckets (14/17/20/64 bits). */
    public static final int TS_DOD_PROM = 1;
    /** Delta-of-delta timestamps with small buckets (4/8/17/64 bits) for a few ms of jitter. */
    public static final int TS_DOD_FINE = 2;
    /** Frame of reference: min delta + fixed-width offsets; 0 bits/sample for a regular interval. */
    public static final int TS_FOR = 3;
    /** Whole numbers of intervals plus small remainders, gamma-coded: series that skip intervals. */
    public static final int TS_GRID = 4;
    /**
     * Sealed blocks only: the timestamps are slots of a timeline the block stores once for many series
     * (timeline id, first slot, and a bitmap when the series skips slots). Not decodable on its own:
     * {@link ChunkTimestamps#resolve} turns it into {@link #TS_PLAIN} with the block's timeline.
     */
    public static final int TS_EXTERNAL = 5;
    /** Timestamps t[1..n-1] as raw 8-byte little-endian longs: the in-memory form of a resolved external chunk. */
    public static final int TS_PLAIN = 6;

    /** Gorilla XOR of the raw double bits. */
    public static final int VAL_XOR = 1;
    /** Exact decimals as integers m/10^s, deltas in an adaptive-width code. */
    public static final int VAL_DEC = 2;
    /** Exact decimals, deltas as min + fixed-width offsets, optional 1-bit zero flags. */
    public static final int VAL_DEC_FOR = 3;
    /** Float accumulation: v = prev + d/10^s (sums of short decimals, like a USD cost counter). */
    public static final int VAL_SUM = 4;
    /** Float sums, sealed: v[0] raw, steps in frame of reference, ulp corrections in a side list. */
    public static final int VAL_SUM_FOR = 5;

    /** Prometheus-style baseline: Gorilla XOR values and Prometheus's timestamp buckets. */
    public static final int XOR_BASELINE = id(TS_DOD_PROM, VAL_XOR);

    private ChunkEncodings() {}

    public static int id(int tsMode, int valueMode) {
        return tsMode << 4 | valueMode;
    }

    public static int tsMode(int id) {
        return (id >>> 4) & 0xF;
    }

    public static int valueMode(int id) {
        return id & 0xF;
    }

    /**
     * The sealed chunk of the given samples in exactly this encoding, or null when the values cannot be
     * represented in it (VAL_DEC needs decimals or special values; VAL_DEC_FOR needs decimals only;
     * VAL_SUM_FOR needs float-sum steps without escapes; TS_FOR needs the smallest timestamp delta below
     * 2^62 ms, TS_GRID every delta below 2^62 ms).
     * {@code tsMode}/{@code valueMode} 0 means "choose automatically".
     */
    public static byte[] encode(long[] t, double[] v, int n, int tsMode, int valueMode) {
        ChunkEncoder e = new ChunkEncoder(tsMode, valueMode);
        try {
            for (int i = 0; i < n; i++) {
                e.append(t[i], v[i]);
            }
            return e.toBytes();
        } catch (NotRepresentableException ex) {
            return null;
        }
    }

    /** Thrown inside a forced encoding that cannot hold a value. */
    static final class NotRepresentableException extends RuntimeException {
        NotRepresentableException() {
            super(null, null, false, false);
        }
    }
}
