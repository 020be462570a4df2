package tally.storage.chunk;

import java.util.SplittableRandom;

/** Seeded sample series of the shapes the codec must handle. */
final class Shapes {
    static final String[] NAMES = {
        "claudeCounter", "costSum", "activeTime", "gauge2dec", "intCounter", "randomDoubles",
        "specials", "constant", "irregularHuge", "negativeTimes", "mixedDecimals"
    };

    final long[] t;
    final double[] v;

    private Shapes(int n) {
        t = new long[n];
        v = new double[n];
    }

    static Shapes make(String name, int n, SplittableRandom r) {
        Shapes s = new Shapes(n);
        long t0 = 1_763_700_000_000L + r.nextLong(1_000_000_000L);
        fillTimes(s.t, n, r, name, t0);
        double x = 0;
        for (int i = 0; i < n; i++) {
            switch (name) {
                case "claudeCounter":
                    if (r.nextInt(3) > 0) {
                        x += r.nextInt(4) == 0 ? r.nextInt(20_000) : r.nextInt(40);
                    }
                    break;
                case "costSum":
                    if (r.nextInt(3) > 0) {
                        // per-request costs are short decimals; their float sum is not
                        x += r.nextInt(1, 200_000) / 1e7 + (r.nextBoolean() ? r.nextInt(1, 9_999) / 1e8 : 0);
                    }
                    break;
                case "activeTime":
                    if (r.nextBoolean()) {
                        x += r.nextInt(1, 60_000) / 1e3;
                    }
                    break;
                case "gauge2dec":
                    x = Math.round((x + r.nextDouble(-1, 1)) * 100) / 100.0;
                    break;
                case "intCounter":
                    x += r.nextInt(0, 100);
                    break;
                case "randomDoubles":
                    x = Double.longBitsToDouble(r.nextLong());
                    break;
                case "specials": {
                    double[] sp = {Double.NaN, Double.longBitsToDouble(0x7ff0000000000002L),
                        Double.longBitsToDouble(0x7ff8000000000123L), Double.POSITIVE_INFINITY,
                        Double.NEGATIVE_INFINITY, -0.0, 0.0, 1.5, Double.MIN_VALUE, Double.MAX_VALUE, 42};
                    x = sp[r.nextInt(sp.length)];
                    break;
                }
                case "constant":
                    x = 7.25;
                    break;
                case "mixedDecimals":
                    x = r.nextInt(4) == 0 ? r.nextDouble() * 1e6 : r.nextInt(1000) / Math.pow(10, r.nextInt(6));
                    break;
                default:
                    x = r.nextInt(4) == 0 ? x : r.nextLong(-1_000_000, 1_000_000) / 100.0;
            }
            s.v[i] = x;
        }
        return s;
    }

    private static void fillTimes(long[] t, int n, SplittableRandom r, String name, long t0) {
        if (n == 0) {
            return;
        }
        switch (name) {
            case "irregularHuge": {
                // strictly increasing over most of the long range: gaps from 1 ms to ~2^60
                long cur = Long.MIN_VALUE / 2 + r.nextLong(1000);
                for (int i = 0; i < n; i++) {
                    t[i] = cur;
                    long room = Long.MAX_VALUE / 2 - cur;
                    long gap = r.nextInt(3) == 0 ? 1 + r.nextLong(Math.max(1, Math.min(room / (n - i + 1), 1L << 60)))
                        : 1 + r.nextInt(100_000);
                    cur += gap;
                }
                return;
            }
            case "negativeTimes":
                t0 = -t0;
                break;
            default:
        }
        // 0: exact interval, 1: a few ms, 2: irregular gaps too,
        // 3: skipped intervals with drift and a final flush (Claude Code's delta temporality)
        int jitter = r.nextInt(4);
        long interval = r.nextBoolean() ? 60_000 : 15_000;
        long cur = t0;
        for (int i = 0; i < n; i++) {
            t[i] = cur;
            long d = interval;
            if (jitter >= 1) {
                d += r.nextInt(0, 6);
            }
            if (jitter == 2 && r.nextInt(10) == 0) {
                d += r.nextLong(1, 10_000_000);
            }
            if (jitter == 3) {
                for (int k = r.nextInt(3) == 0 ? r.nextInt(1, 40) : 0; k > 0; k--) {
                    d += interval + r.nextInt(0, 9);
                }
                if (i == n - 2 && r.nextBoolean()) {
                    d = r.nextLong(1, interval); // the final flush at exit
                }
            }
            cur += d;
        }
    }
}
